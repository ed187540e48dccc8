"""Write a newly built ticket with its history and assisting departments as plain INSERTs.

Ticket creation is the service's hottest write. For one new row and two or three children, the ORM
unit of work (change tracking, dependency sort, per-object bookkeeping) took ~2.4 ms of worker CPU
for the inserts and the commit; the same rows as Core INSERT statements take ~1.5 ms (PostgreSQL,
measured side by side; docs/performance.md). The ticket is still built as before (``service._build``
constructs the ORM objects); the values written are the ones a flush would write: the attributes
that were set, and the columns' own scalar defaults (``version`` = 1, …) for the rest, set on the
objects too (tests/ticketing/store/test_inserts.py compares the stored rows with the ORM's). The
objects stay transient (in no session): callers read their attributes to answer, as they read the
detached objects the ORM path returned.

Everything that *changes* a ticket later goes through the ORM (``ticketing.domain.workflow``), whose
optimistic ``version`` check needs it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from ticketing.models.tickets import Ticket, TicketAssist, TicketEvent

_TICKET = insert(Ticket.__table__).returning(Ticket.__table__.c.id)
_CHILDREN = ((TicketEvent, "events"), (TicketAssist, "assists"))


def insert_new_ticket(session: Session, ticket: Ticket) -> None:
    """INSERT ``ticket``, then its events and assists with its new id; sets the ids on the objects."""
    ticket.id = session.execute(_TICKET, _values(ticket)).scalar_one()
    for model, collection in _CHILDREN:
        children = getattr(ticket, collection)
        if not children:
            continue
        for child in children:
            child.ticket_id = ticket.id
        table = model.__table__
        rows = [_values(child) for child in children]
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        if all(row.keys() == rows[0].keys() for row in rows):  # one statement for all of them
            ids = session.execute(statement, rows).scalars().all()
        else:
            ids = [session.execute(statement, row).scalar_one() for row in rows]
        for child, new_id in zip(children, ids):
            child.id = new_id


def _values(obj: Any) -> dict[str, Any]:
    """Column values of ``obj`` by column name: the attributes set on it, and for the others their
    column's scalar default (``version`` = 1, …), which is then also set on the object, as a flush would."""
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        if attr.key in state.dict:
            if attr.key != "id" or state.dict[attr.key] is not None:
                values[column.name] = state.dict[attr.key]
        elif column.default is not None and column.default.is_scalar:
            values[column.name] = column.default.arg
            setattr(obj, attr.key, column.default.arg)
    return values
