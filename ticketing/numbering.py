"""Ticket numbers ``YYYYMMDD-NNNNNN``: China date plus a per-day sequence.

The counter row is bumped with one atomic upsert inside the creating transaction, so concurrent
creators never get the same number, and a number is only ever attached to one committed ticket.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ticketing.models import TicketCounter
from ticketing.timefmt import china_date

NUMBER_PATTERN = re.compile(r"^\d{8}-\d{6,7}$")


def is_valid_number(text: str) -> bool:
    """Shape check before touching the database (malformed numbers are simply not found)."""
    return bool(NUMBER_PATTERN.match(text))


def next_number(session: Session, moment: datetime) -> str:
    """Reserve the next number for the China day of ``moment``."""
    day = china_date(moment).strftime("%Y%m%d")
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(TicketCounter).values(day=day, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1}
    ).returning(TicketCounter.last)
    value = session.execute(stmt).scalar_one()
    return f"{day}-{value:06d}"


def issued_today(session: Session, moment: datetime) -> int:
    """How many numbers were issued on the China day of ``moment`` (for dashboards and tests)."""
    day = china_date(moment).strftime("%Y%m%d")
    return session.scalar(select(TicketCounter.last).where(TicketCounter.day == day)) or 0
