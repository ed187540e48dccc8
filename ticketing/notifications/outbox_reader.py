"""Reading the outbox: the events not yet handed on, and marking them handed on.

Both the relay (to RabbitMQ) and the notifier without a broker use these two functions; "published"
means handed to the next stage. Selecting on ``published_at IS NULL`` rather than an id cursor never
skips a row that an older transaction committed late (PostgreSQL assigns ids before commit).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from ticketing.core.timefmt import utcnow
from ticketing.models.notifications import OutboxEvent


@dataclass(frozen=True)
class Pending:
    id: int
    routing_key: str
    payload: dict[str, Any]


def unpublished(factory: sessionmaker, limit: int = 200) -> list[Pending]:
    with factory() as session:
        rows = session.execute(select(OutboxEvent.id, OutboxEvent.routing_key, OutboxEvent.payload)
                               .where(OutboxEvent.published_at.is_(None)).order_by(OutboxEvent.id).limit(limit))
        return [Pending(*row) for row in rows]


def mark_published(factory: sessionmaker, ids: list[int], now: datetime | None = None) -> None:
    if not ids:
        return
    with factory() as session, session.begin():
        session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(ids)).values(published_at=now or utcnow())
                        .execution_options(synchronize_session=False))
