"""The running system a load benchmark measures, and what the bench needs to know about it.

Production topology (`tests.support.prod_system.ProdSystem`: nginx in front, two Rasa servers with a
PostgreSQL tracker store and a Redis lock store, two action servers, two ticketing workers) when it
is available, since the goals are about that deployment; else the development stack of the test
suite (`SystemUnderTest`: one of each, SQLite), named as such in every report.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select

from launcher import processes, topology
from launcher.paths import REPO, RUN_LOGS
from ticketing.models.tickets import Ticket

BENCH_LOGS = RUN_LOGS / "bench"  # git-ignored; each bench's server logs of its last run, for post-mortems


@dataclass
class Deployment:
    """Addresses and processes of one running copy of the system."""

    description: str
    front_url: str  # where residents and API clients connect (nginx in production)
    rasa_urls: list[str]  # each Rasa server directly, for /model/parse
    ticketing_url: str  # the ticketing API as clients reach it (through the front in production)
    database_url: str  # the tickets' database (SQLAlchemy URL)
    processes: dict[str, int] = field(default_factory=dict)  # label -> pid of the process we started
    api_token: str = ""  # the integration token the bot's action server sends with its API calls
    access_log: Path | None = None  # nginx's access log (production topology only)

    @property
    def webhook(self) -> str:
        return f"{self.front_url}/webhooks/rest/webhook"

    def tickets_per_conversation(self, senders: list[str]) -> dict[str, int]:
        """How many tickets the database holds for each conversation id (absent: none)."""
        engine = create_engine(self.database_url)
        counts: dict[str, int] = {}
        try:
            with engine.connect() as connection:
                for start in range(0, len(senders), 500):
                    chunk = senders[start:start + 500]
                    query = (select(Ticket.conversation_id, func.count()).where(Ticket.conversation_id.in_(chunk))
                             .group_by(Ticket.conversation_id))
                    counts.update({sender: int(n) for sender, n in connection.execute(query)})
        finally:
            engine.dispose()
        return counts


def prod_available() -> bool:
    try:
        import tests.support.prod_system  # noqa: F401
    except ImportError:
        return False
    return True


def log_dir(name: str) -> Path:
    """A fresh folder for this bench's server logs (the previous run's are replaced)."""
    path = BENCH_LOGS / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


PROD_BOT = ("production topology (`tests.support.prod_system.ProdSystem`, as `make run-prod`): nginx in front, "
            "2 Rasa servers (PostgreSQL tracker store, Redis lock store), 2 action servers, 2 ticketing "
            "workers on PostgreSQL; each a separate process")
PROD_API = ("production topology's ticketing side (`ProdSystem`'s nginx and its 2 ticketing worker "
            "processes on a throw-away PostgreSQL database; Rasa and the action servers not started)")


@contextmanager
def prod_stack(name: str, with_bot: bool = True) -> Iterator[Deployment]:
    """The production topology on free ports with throw-away databases; SystemExit when it cannot run.

    Without the bot only nginx and the two ticketing workers start (the API benchmark needs nothing
    else, and two idle Rasa servers would take 2.4 GB and a minute to start).
    """
    from tests.support.prod_system import INSTANCES, ProdSystem, prod_unavailable

    reason = prod_unavailable()
    if reason:
        raise SystemExit(f"the production topology cannot run here: {reason}")
    logs = log_dir(name)
    print(f"starting the production topology (logs in {logs}) …", flush=True)
    system = ProdSystem(logs)
    try:
        if with_bot:
            system.start()
        else:
            topology.prepare_storage(system.config, demo_tickets=0)
            system.specs = topology.service_specs(system.config, Path("not-started.tar.gz"), logs)
            for instance in ("ticketing-a", "ticketing-b", "nginx"):
                system.running[instance] = processes.start(system.specs[instance], REPO, logs)
            for service in system.running.values():
                topology.wait_ready(service)
        yield Deployment(
            description=PROD_BOT if with_bot else PROD_API,
            front_url=system.front_url,
            # /model/parse straight to each Rasa (the bench alternates): what Rasa itself costs, without
            # nginx's connection handling, which the webhook figures include.
            rasa_urls=[system.urls["rasa-a"], system.urls["rasa-b"]] if with_bot else [],
            ticketing_url=system.front_url,
            database_url=system.tickets_database_url,
            processes={i: system.pid(i) for i in INSTANCES if i in system.running},
            api_token=system.api_token,
            access_log=system.nginx_access_log,
        )
    finally:
        system.stop()


@contextmanager
def dev_stack(with_bot: bool = True) -> Iterator[Deployment]:
    """The test suite's stack (one Rasa, one action server, one ticketing worker, SQLite) on free ports."""
    from tests.support.system import SystemUnderTest

    with tempfile.TemporaryDirectory(prefix="bench-dev-") as tmp:
        stack = SystemUnderTest(Path(tmp), log_dir("dev"))
        try:
            stack.ensure_rasa() if with_bot else stack.ensure_ticketing()
            config = stack.config
            yield Deployment(
                description="development stack (`SystemUnderTest`: 1 Rasa with a SQLite tracker store, "
                            "1 action server, 1 ticketing worker on SQLite; no nginx)",
                front_url=config.rasa_url,
                rasa_urls=[config.rasa_url] if with_bot else [],
                ticketing_url=config.ticketing_url,
                database_url=config.database_url,
                processes={name: service.process.pid for name, service in stack.running.items()},
                api_token=config.api_token,
            )
        finally:
            stack.stop_all()
