"""The ticketing package's imports run one way (docs/architecture.md), checked by import-linter.

``.importlinter`` holds the contracts: the layers (app/cli → pages, API, Open311 → HTTP edge →
analytics/demo → services → store → domain → models → core, siblings independent), a domain free of
web framework, templates and SQL, and a core that knows nothing of HTTP. A new back-edge fails here.
"""
from __future__ import annotations

import configparser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / ".importlinter"


def _layer_names() -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    layers = parser["importlinter:contract:layers"]["layers"]
    return {name.strip() for line in layers.splitlines() for name in line.split("|") if name.strip()}


def test_every_part_of_the_package_has_a_layer() -> None:
    """A new folder or top-level module outside the contract would escape the check: name it in a layer."""
    package = REPO / "ticketing"
    parts = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    parts |= {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    assert parts - _layer_names() == set(), "add these to a layer in .importlinter"


def test_imports_keep_the_contracts(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(REPO)
    code = lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert code == 0, report[report.find("Broken contracts"):] or report
