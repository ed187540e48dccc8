"""Ticket numbers ``YYYYMMDD-NNNNNN``: China date plus a per-day sequence.

PostgreSQL: one SEQUENCE per China day (``ticket_no_YYYYMMDD``), and the creating transaction takes
its number with ``nextval``. Sequences are not transactional, so no lock is held until the commit:
concurrent creations no longer queue behind one hot counter row (the earlier design, an upsert of
the day's ``ticket_counters`` row, kept that row locked until each creation committed, so
creations committed one after another and never shared a WAL flush). The price: a number taken by
a transaction that then rolls back (an idempotency race, a failed insert, a crash) is not reused,
so a day's numbers may have gaps. They stay unique, ascending in the order they were taken, and
each committed ticket has exactly one.

The day's sequence is created on first use (``prepare``) in its own short transaction, serialized
by an advisory lock so racing creators (threads, worker processes) create it once. It starts after
the highest number already issued for that day — by the ``ticket_counters`` row (older releases,
the demo seed) or by a ticket in the table — so numbers never repeat across the switch.
Sequences are data: do not drop the sequence of a day that still issues numbers.

SQLite keeps the counter row (``ticket_counters``), bumped with one upsert inside the creating
transaction: SQLite serializes writers anyway, and it has no sequences.
"""
from __future__ import annotations

import re
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ticketing.core.timefmt import china_date
from ticketing.models.tickets import TicketCounter

NUMBER_PATTERN = re.compile(r"^\d{8}-\d{6,7}$")
SEQUENCE_PREFIX = "ticket_no_"
# pg_advisory_xact_lock key serializing the creation of day sequences (any stable bigint will do).
CREATE_LOCK_KEY = 0x7469636B65746E6F  # "ticketno"

_NEXTVAL = text("SELECT nextval(CAST(:name AS regclass))")
_SEQUENCE_STATE = text(
    "SELECT last_value, start_value FROM pg_sequences WHERE schemaname = current_schema() AND sequencename = :name")
_ALL_SEQUENCES = text(
    "SELECT sequencename, last_value, start_value FROM pg_sequences "
    "WHERE schemaname = current_schema() AND sequencename LIKE :pattern")
_HIGHEST_TICKET = text(
    "SELECT max(CAST(split_part(number, '-', 2) AS bigint)) FROM tickets WHERE number LIKE :prefix")

# Per engine, the days whose sequence is known to exist: after the first creation of a day in a
# process, taking a number is one nextval and nothing else.
_prepared: WeakKeyDictionary[Engine, set[str]] = WeakKeyDictionary()


def is_valid_number(text: str) -> bool:
    """Shape check before touching the database (malformed numbers are simply not found)."""
    return bool(NUMBER_PATTERN.match(text))


def day_of(moment: datetime) -> str:
    """``YYYYMMDD`` of the China calendar day of ``moment``: the number's first part."""
    return china_date(moment).strftime("%Y%m%d")


def sequence_name(day: str) -> str:
    """The PostgreSQL sequence of one day; ``day`` is eight digits, so the name is safe to inline."""
    if not (len(day) == 8 and day.isdigit()):
        raise ValueError(f"not a YYYYMMDD day: {day!r}")
    return SEQUENCE_PREFIX + day


def prepare(bind: Engine | Connection, moment: datetime) -> None:
    """Make sure the day of ``moment`` can issue numbers: on PostgreSQL its sequence exists.

    Runs in its own short transaction on its own connection, and is a no-op once done in this process.
    ``service.create_ticket`` calls it before opening the creating transaction, so that transaction
    never waits for a second pooled connection (at midnight every worker thread would).
    """
    engine = bind.engine
    if engine.dialect.name != "postgresql":
        return
    day = day_of(moment)
    ready = _prepared.setdefault(engine, set())
    if day in ready:
        return
    with engine.begin() as connection:
        _create_sequence(connection, day)
    ready.add(day)


def _create_sequence(connection: Connection, day: str) -> None:
    """Create the day's sequence unless it exists, starting after every number already issued."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CREATE_LOCK_KEY})
    name = sequence_name(day)
    if connection.execute(_SEQUENCE_STATE, {"name": name}).first() is not None:
        return
    counter = connection.scalar(select(TicketCounter.last).where(TicketCounter.day == day)) or 0
    highest = connection.scalar(_HIGHEST_TICKET, {"prefix": f"{day}-%"}) or 0
    connection.execute(text(f"CREATE SEQUENCE {name} AS bigint START WITH {max(counter, highest) + 1} MINVALUE 1"))


def next_number(session: Session, moment: datetime) -> str:
    """Reserve the next number for the China day of ``moment`` (inside the creating transaction)."""
    day = day_of(moment)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        prepare(bind, moment)  # normally done already, before the transaction began
        value = session.execute(_NEXTVAL, {"name": sequence_name(day)}).scalar_one()
        return f"{day}-{value:06d}"
    stmt = sqlite_insert(TicketCounter).values(day=day, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1}
    ).returning(TicketCounter.last)
    value = session.execute(stmt).scalar_one()
    return f"{day}-{value:06d}"


def issued_today(session: Session, moment: datetime) -> int:
    """Highest number issued on the China day of ``moment`` (for dashboards and tests).

    On PostgreSQL this counts numbers taken by transactions that rolled back too (the gaps).
    """
    day = day_of(moment)
    return issued_by_day(session, day).get(day, 0)


def issued_by_day(session: Session, day: str | None = None) -> dict[str, int]:
    """Highest number issued per day (all days, or just ``day``): counter rows and day sequences."""
    query = select(TicketCounter.day, TicketCounter.last)
    if day is not None:
        query = query.where(TicketCounter.day == day)
    issued = {d: last for d, last in session.execute(query).all()}
    for seq_day, value in _sequence_values(session, day).items():
        issued[seq_day] = max(issued.get(seq_day, 0), value)
    return issued


def _sequence_values(session: Session, day: str | None = None) -> dict[str, int]:
    """Highest number each existing day sequence has issued (PostgreSQL; empty elsewhere)."""
    if session.get_bind().dialect.name != "postgresql":
        return {}
    pattern = sequence_name(day) if day else SEQUENCE_PREFIX.replace("_", r"\_") + "%"
    rows = session.execute(_ALL_SEQUENCES, {"pattern": pattern}).all()
    return {name.removeprefix(SEQUENCE_PREFIX): (last if last is not None else start - 1) for name, last, start in rows}


def reserve_up_to(session: Session, issued: dict[str, int]) -> None:
    """Never issue again any number up to ``issued[day]`` (demo seeding writes numbered tickets itself).

    Sets the counter rows and, on PostgreSQL, moves the day sequences that exist past those numbers;
    a day without a sequence yet gets one starting after its counter when it is first used. Meant
    for seeding a database that is not taking live tickets at the same moment.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for day, last in issued.items():
        stmt = insert(TicketCounter).values(day=day, last=last)
        session.execute(stmt.on_conflict_do_update(index_elements=[TicketCounter.day], set_={"last": last}))
    sequences = _sequence_values(session)
    for day, last in issued.items():
        if day in sequences and sequences[day] < last:
            session.execute(text("SELECT setval(CAST(:name AS regclass), :last)"),
                            {"name": sequence_name(day), "last": last})
