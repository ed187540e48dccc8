"""One copy of the running system for the test session, each server started on first use."""

from __future__ import annotations

from pathlib import Path

from launcher import processes
from launcher.model import ensure_model
from launcher.paths import REPO
from launcher.stack import (
    StackConfig, actions_spec, migrate_database, rasa_spec, seed_demo, ticketing_spec, write_endpoints,
)
from tests.support.ports import free_port


class SystemUnderTest:
    """Servers on free ports so the suite can run beside `make run`."""

    def __init__(self, workdir: Path, log_dir: Path, model: Path | None = None) -> None:
        self.config = StackConfig(
            ticketing_port=free_port(),
            actions_port=free_port(),
            rasa_port=free_port(),
            database_url=f"sqlite:///{workdir / 'tickets.db'}",
        )
        self.workdir = workdir
        self.log_dir = log_dir
        self.model = model  # None: the current model, trained when its inputs changed
        self.running: dict[str, processes.RunningService] = {}

    def _ensure(self, spec: processes.ServiceSpec) -> None:
        service = self.running.get(spec.name)
        if service is not None and service.process.poll() is None:
            return
        service = processes.start(spec, REPO, self.log_dir)
        self.running[spec.name] = service
        processes.wait_ready(service)

    def ensure_ticketing(self) -> str:
        if "ticketing" not in self.running:
            migrate_database(self.config)
            seed_demo(self.config, tickets=0)
        self._ensure(ticketing_spec(self.config))
        return self.config.ticketing_url

    def ensure_actions(self) -> str:
        self.ensure_ticketing()
        self._ensure(actions_spec(self.config))
        return self.config.actions_url

    def ensure_rasa(self) -> str:
        self.ensure_actions()
        endpoints = write_endpoints(self.config, self.workdir, self.workdir / "rasa_tracker.db")
        self._ensure(rasa_spec(self.config, self.model or ensure_model(), endpoints))
        return self.config.rasa_url

    def stop_service(self, name: str) -> None:
        service = self.running.pop(name, None)
        if service is not None:
            processes.stop(service)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop_service(name)
