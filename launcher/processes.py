"""Start, watch and stop the system's server processes.

Each server runs in its own process group so that stopping it also stops whatever it spawned
(Rasa's workers, uvicorn's reloader). Readiness is a real HTTP answer, not a sleep.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ServiceSpec:
    """How to start one server and how to know it is ready."""

    name: str
    command: list[str]
    ready_url: str
    env: dict[str, str] = field(default_factory=dict)
    ready_timeout: float = 180.0


@dataclass
class RunningService:
    spec: ServiceSpec
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class ServiceFailed(RuntimeError):
    """A server exited or never answered; the message carries the end of its log."""


def start(spec: ServiceSpec, cwd: Path, log_dir: Path) -> RunningService:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{spec.name}.log"
    log_file = log_path.open("wb")
    env = {**os.environ, **spec.env}
    process = subprocess.Popen(
        spec.command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    return RunningService(spec, process, log_path)


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens there: a readiness check would then ask the wrong server."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when the URL gives any HTTP answer below 500."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (OSError, ValueError):
        return False


def wait_ready(service: RunningService) -> float:
    """Block until the service answers; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < service.spec.ready_timeout:
        if service.process.poll() is not None:
            raise ServiceFailed(
                f"{service.spec.name} exited with code {service.process.returncode}:\n{service.log_tail()}"
            )
        if answers(service.spec.ready_url):
            return time.monotonic() - started
        time.sleep(0.5)
    raise ServiceFailed(
        f"{service.spec.name} did not answer {service.spec.ready_url} within "
        f"{service.spec.ready_timeout:.0f} s:\n{service.log_tail()}"
    )


def stop(service: RunningService, grace: float = 10.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left after the grace period."""
    if service.process.poll() is not None:
        return
    try:
        os.killpg(service.process.pid, signal.SIGTERM)
        service.process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait()
    except ProcessLookupError:
        pass


def kill(service: RunningService) -> None:
    """Kill at once, as a crash would: used by fault tests."""
    try:
        os.killpg(service.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    service.process.wait()
