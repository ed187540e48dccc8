"""The trained Rasa model, cached by a hash of everything that shapes it.

Rasa's own training cache misses changes to the jieba user dictionary (RASA_NOTES.md), so we
name the model after a SHA-256 of its inputs instead and retrain only when that hash changes.
Run ``python -m launcher.model`` to train when missing; it prints Rasa's progress as it goes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from launcher.paths import MODELS, REPO, bot_bin

# Everything the trained model depends on: Rasa's data plus what the category classifier reads
# (the service's category tree and keywords, and the shared real messages where they are present).
# Not bot/channels nor bot/lock_store.py: Rasa loads them from credentials.yml and endpoints.yml at
# start; the model holds neither.
MODEL_INPUTS = (
    "config.yml", "domain.yml", "data", "bot", "requirements.txt",
    "ticketing/config/categories.yml", "ticketing/config/keywords.yml",
    "../shared/data/messages.csv", "../shared/data/subjects.csv",
)
NOT_IN_MODEL = ("bot/channels", "bot/lock_store.py")


def _input_files() -> list[Path]:
    files: list[Path] = []
    for name in MODEL_INPUTS:
        path = Path(os.path.normpath(REPO / name))  # not resolve(): ../shared may be a symlink
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                         and p.suffix != ".md"  # documentation beside the code trains nothing
                         and not any(p.is_relative_to(REPO / part) for part in NOT_IN_MODEL))
        elif path.is_file():
            files.append(path)
    return sorted(files)


def _display_name(path: Path) -> str:
    """Path as the hash sees it: inside the checkout relative to it, so the clone's folder name
    does not matter; the shared data relative to the checkout's parent."""
    return os.path.relpath(path, REPO if path.is_relative_to(REPO) else REPO.parent)


def fingerprint() -> str:
    """Short hash of the model's inputs: file paths and contents."""
    digest = hashlib.sha256()
    for path in _input_files():
        digest.update(_display_name(path).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS / f"yijian-{fingerprint()}.tar.gz"


def rasa_env() -> dict[str, str]:
    """Environment for every Rasa command: quiet, offline, no telemetry."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore",
    )
    return env


def ensure_model() -> Path:
    """Return the current model, training it first when its inputs changed.

    Why the lock and the rename: several processes (a test run, `make run`, a benchmark) may ask at
    once. The lock makes the later ones wait for the first training instead of training again, and the
    archive only appears under its final name when complete, so no Rasa server ever loads half a file.
    """
    target = model_path()
    if target.exists():
        print(f"[model] up to date: {target.relative_to(REPO)}", flush=True)
        return target
    MODELS.mkdir(exist_ok=True)
    with open(MODELS / ".training.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            print(f"[model] trained meanwhile by another process: {target.relative_to(REPO)}", flush=True)
            return target
        _train(target)
    return target


def _train(target: Path) -> None:
    print(f"[model] training {target.name} (inputs changed or no model yet)…", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=MODELS, prefix=".training-") as scratch:
        name = target.name[: -len(".tar.gz")]
        command = [bot_bin("rasa"), "train", "--out", scratch, "--fixed-model-name", name]
        subprocess.run(command, cwd=REPO, env=rasa_env(), check=True)
        built = Path(scratch) / target.name
        if not built.exists():
            raise RuntimeError(f"rasa train finished but {built} is missing")
        os.replace(built, target)
    print(f"[model] trained in {time.monotonic() - started:.0f} s: {target.relative_to(REPO)}", flush=True)


if __name__ == "__main__":
    try:
        ensure_model()
    except subprocess.CalledProcessError as error:
        sys.exit(f"[model] rasa train failed with exit code {error.returncode}")
