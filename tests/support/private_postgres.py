"""A throw-away PostgreSQL cluster that a fault test may stop, crash and restart at will.

Why a private cluster: the machine's PostgreSQL on :5432 serves every other test running at the same
time, so a test that restarts the database must own one. Debian ships the server binaries in
``/usr/lib/postgresql/<version>/bin``; ``initdb`` refuses to run as root, so under root every command
runs as the ``postgres`` user through ``runuser``, on a data directory that user owns. The server
listens on 127.0.0.1 at a free port and puts its unix socket in the temporary directory, never in
``/var/run/postgresql`` where the machine's server lives.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.ports import free_port

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class PostgresUnavailable(RuntimeError):
    """No server binaries, or the cluster could not be created: the caller skips with this message."""


def _find_bin_dir() -> Path:
    for candidate in BIN_DIRS:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise PostgresUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin")


class PrivatePostgres:
    """One cluster in a temporary directory; ``start``/``stop``/``restart`` drive it like an operator."""

    def __init__(self, port: int | None = None) -> None:
        self.bin_dir = _find_bin_dir()
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="yijian-pg-"))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root
        self.log_path = self.root / "server.log"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as error:
                raise PostgresUnavailable("running as root and there is no 'postgres' user to run initdb as") from error
            if not shutil.which("runuser"):
                raise PostgresUnavailable("running as root and 'runuser' is missing")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` database over TCP (trust authentication)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._as_user, *args], capture_output=True, text=True, check=check, timeout=timeout)

    def init(self) -> "PrivatePostgres":
        """initdb with trust auth and settings for a small, quick test server (fsync stays on)."""
        try:
            self._run(str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions")
        except subprocess.CalledProcessError as error:
            raise PostgresUnavailable(f"initdb failed: {error.stderr.strip()[-500:]}") from error
        settings = (f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.socket_dir}'\nmax_connections = 60\n"
                    "shared_buffers = 32MB\nlogging_collector = off\n")
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(settings)
        return self

    def start(self) -> float:
        """Start and wait until it accepts connections; returns the seconds it took."""
        began = time.monotonic()
        result = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path),
                           "-w", "-t", "60", "start", check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(f"pg_ctl start failed: {result.stdout}{result.stderr}\n{self.log_tail()}")
        return time.monotonic() - began

    def stop(self, mode: str = "fast") -> float:
        """``fast`` ends sessions and checkpoints; ``immediate`` is a crash (recovery on next start)."""
        began = time.monotonic()
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "-t", "60", "stop",
                  check=False)
        return time.monotonic() - began

    def restart(self, mode: str = "fast") -> float:
        """Stop then start; returns the seconds the server was not accepting connections (about)."""
        return self.stop(mode) + self.start()

    def is_running(self) -> bool:
        return self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "status", check=False).returncode == 0

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def destroy(self) -> None:
        """Stop the server (if up) and remove the directory."""
        if self.data_dir.exists() and self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
