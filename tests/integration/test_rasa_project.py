"""Rasa's own checks of the assistant: clean training data and passing test stories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from launcher.model import rasa_env
from launcher.paths import REPO, bot_bin

pytestmark = pytest.mark.rasa


def _rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [bot_bin("rasa"), *args], cwd=REPO, env=rasa_env(), capture_output=True, text=True, timeout=timeout
    )


def test_data_validate_is_clean() -> None:
    result = _rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_stories_pass(trained_model: Path, tmp_path: Path) -> None:
    result = _rasa(
        "test", "core", "--model", str(trained_model), "--stories", "tests/bot",
        "--fail-on-prediction-errors", "--out", str(tmp_path),
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else result.stdout[-4000:]
    assert result.returncode == 0, detail + result.stderr[-3000:]
