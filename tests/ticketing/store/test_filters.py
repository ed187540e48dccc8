"""``store.filters`` (SQL, many tickets) and ``domain.overdue`` (one ticket) select the same tickets.

Run on seeded histories (open, warning, overdue, answered, merged tickets), at several moments
including the exact deadline instants, where ``<`` against ``<=`` would show. Both backends.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from ticketing.demo.seed import Seeder
from ticketing.demo.texts import OWN_EXAMPLES
from ticketing.domain.overdue import due_status, is_overdue, sign_overdue
from ticketing.domain.vocabulary import ACTION_LABELS, DISPATCHED, DUE_STATUSES, OPEN
from ticketing.models.tickets import Ticket
from ticketing.store import filters

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)


@pytest.fixture()
def seeded(client, app) -> list[Ticket]:  # type: ignore[no-untyped-def]
    """150 demo tickets lived through the real workflow up to NOW (``client`` empties the tables first)."""
    Seeder(app.state.sessions, app.state.rules, list(OWN_EXAMPLES), seed=11, now=NOW).run_seed(150)
    with app.state.sessions() as session:
        return list(session.scalars(select(Ticket).options(selectinload(Ticket.events))))


def _moments(tickets: list[Ticket]) -> list[datetime]:
    """NOW, three days on, and the exact instants some open ticket's deadlines fall due."""
    open_ = [t for t in tickets if t.state in OPEN]
    dispatched = [t for t in tickets if t.state == DISPATCHED]
    edges = [open_[0].resolve_due_at, open_[-1].resolve_due_at, *[t.warn_at for t in open_[:2] if t.warn_at]]
    return [NOW, NOW + timedelta(days=3), *edges, *[t.sign_due_at for t in dispatched[:1]]]


def _sql(session: Session, condition: ColumnElement[bool]) -> set[str]:
    return set(session.scalars(select(Ticket.number).where(condition)))


def _python(tickets: list[Ticket], rule: Callable[[Ticket], Any]) -> set[str]:
    return {t.number for t in tickets if rule(t)}


def test_sql_filters_and_one_ticket_rules_agree(seeded: list[Ticket], app) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, int] = {}
    with app.state.sessions() as session:
        assert _sql(session, filters.is_open()) == _python(seeded, lambda t: t.state in OPEN)
        for now in _moments(seeded):
            for status in DUE_STATUSES:
                expected = _python(seeded, lambda t: due_status(t, now) == status)
                assert _sql(session, filters.status_filter(status, now)) == expected, (status, now)
                seen[status] = seen.get(status, 0) + len(expected)
            assert _sql(session, filters.overdue(now)) == _python(seeded, lambda t: is_overdue(t, now)), now
            sign_late = _python(seeded, lambda t: sign_overdue(t, now))
            assert _sql(session, filters.sign_overdue(now)) == sign_late, now
            seen["sign_overdue"] = seen.get("sign_overdue", 0) + len(sign_late)
    assert all(seen.values()) and len(seen) == len(DUE_STATUSES) + 1, seen  # every rule had tickets to agree on


def test_seeded_histories_write_only_labelled_actions(seeded: list[Ticket]) -> None:
    """What the workflow, the intake and the demo actually wrote has a Chinese name on the timeline."""
    written = {e.action for t in seeded for e in t.events}
    assert written <= set(ACTION_LABELS), written - set(ACTION_LABELS)
    assert {"create", "dispatch", "sign", "resolve"} <= written
