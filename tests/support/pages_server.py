"""A real ticketing server for browser tests and screenshots: temp SQLite, demo accounts, uvicorn.

Shared by ``test_pages_browser.py`` and ``scripts/screenshots.py`` so both drive the same stack.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from tests.support.ports import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]
API_TOKEN = "browser-test-token-0123456789abcdef"


def prepare_database(path: Path) -> str:
    """Migrated SQLite file with the demo accounts (password ``admin.DEMO_PASSWORD``)."""
    from ticketing.demo import accounts as admin
    from ticketing.store.schema import migrate

    url = f"sqlite:///{path}"
    migrate(url)
    admin.seed_demo_users(url)
    return url


@contextmanager
def serve(database_url: str, log_path: Path) -> Iterator[str]:
    """uvicorn on a free port; yields the base URL and stops the process (by its own pid) afterwards."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "YIJIAN_API_TOKEN": API_TOKEN,
           "YIJIAN_SECRET_KEY": "browser-tests-secret-key-0123456789abcdef", "PYTHONPATH": str(REPO)}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "ticketing.app:app", "--port", str(port),
                                 "--host", "127.0.0.1", "--log-level", "warning"],
                                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base, proc, log_path)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait(base: str, proc: subprocess.Popen, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ticketing server exited: {log_path.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("ticketing server did not answer within 30 s")


def api(base: str, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON call as the trusted integration (creates tickets, moves them between states)."""
    import json

    request = urllib.request.Request(f"{base}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {API_TOKEN}"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def sign_in(page: Any, base: str, username: str) -> None:
    """Fill the sign-in form the way a person would."""
    from ticketing.demo.accounts import DEMO_PASSWORD

    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def sign_out(page: Any) -> None:
    page.click(".whoami button")
    page.wait_for_load_state("domcontentloaded")
