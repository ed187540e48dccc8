"""The key that signs session cookies: ``YIJIAN_SECRET_KEY``, or a generated one saved under ``var/``.

A saved development key keeps people signed in across restarts without anyone inventing a default
that would then be shared by every installation.
"""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from ticketing.core.settings import REPO_ROOT

DEV_SECRET_FILE = REPO_ROOT / "var" / "secret_key"
MIN_LENGTH = 32


def load_secret(configured: str = "", path: Path = DEV_SECRET_FILE) -> str:
    """``configured`` (``Settings.secret_key``), else the saved development key (created with mode 0600
    on first use)."""
    configured = configured.strip()
    if configured:
        if len(configured) < MIN_LENGTH:
            raise RuntimeError(f"YIJIAN_SECRET_KEY must have at least {MIN_LENGTH} characters")
        return configured
    if path.is_file():
        return _read_when_written(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it a moment ago: wait for its content
        return _read_when_written(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _read_when_written(path: Path, tries: int = 50) -> str:
    for _ in range(tries):
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{path} stays empty: delete it or set YIJIAN_SECRET_KEY")
