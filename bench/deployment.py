"""The running system a load benchmark measures, and what the bench needs to know about it.

Production topology (`tests.support.prod_system.ProdSystem`: nginx in front, two Rasa servers with a
PostgreSQL tracker store and a Redis lock store, two action servers, two ticketing workers) when it
is available, since the goals are about that deployment; else the development stack of the test
suite (`SystemUnderTest`: one of each, SQLite), named as such in every report.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select

from ticketing.models import Ticket


@dataclass
class Deployment:
    """Addresses and processes of one running copy of the system."""

    description: str
    front_url: str  # where residents and API clients connect (nginx in production)
    rasa_urls: list[str]  # each Rasa server directly, for /model/parse
    ticketing_url: str  # the ticketing API as clients reach it (through the front in production)
    database_url: str  # the tickets' database (SQLAlchemy URL)
    processes: dict[str, int] = field(default_factory=dict)  # label -> pid of the process we started

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


@contextmanager
def dev_stack(with_bot: bool = True) -> Iterator[Deployment]:
    """The test suite's stack (one Rasa, one action server, one ticketing worker, SQLite) on free ports."""
    from tests.support.system import SystemUnderTest

    with tempfile.TemporaryDirectory(prefix="bench-dev-") as tmp:
        stack = SystemUnderTest(Path(tmp), Path(tmp) / "logs")
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
            )
        finally:
            stack.stop_all()
