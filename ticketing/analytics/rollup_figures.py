"""The figures' counts from the rollup (PostgreSQL): a year costs the same at any volume.

``store.rollups`` keeps per day × department × category × district × channel × state how many tickets
were received, signed (on time), resolved (on time), rated and rated satisfied. What depends on the
clock (open tickets past their deadline, dispatched ones past the sign-for limit) is counted here
over the open tickets only (partial index ``ix_tickets_open_figures``). ``stats`` turns the plain
numbers into ``Counts``; a property test checks them against the full recount.

Used when the period is whole China days (the dashboard's and /api/stats' periods always are) and
the database has the rollup; otherwise the figures count the tickets table as before.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from ticketing.core.timefmt import CHINA_TZ
from ticketing.domain.vocabulary import DISPATCHED, MERGED, OPEN
from ticketing.models.tickets import Ticket
from ticketing.store import filters, rollups

R = rollups.rollup.c
ROLLUP_MEASURES = ("signed_on_time", "resolved", "resolved_on_time", "rated", "satisfied")


def china_day(moment: datetime) -> date | None:
    """The China date of a China midnight; None for any other moment (the rollup has whole days only)."""
    local = moment.astimezone(CHINA_TZ)
    if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
        return None
    return local.date()


def usable(session: Session, start: datetime, end: datetime) -> bool:
    return china_day(start) is not None and china_day(end) is not None and rollups.available(session)


def _period(start: datetime, end: datetime, department: str | None) -> list[ColumnElement[bool]]:
    first, after = china_day(start), china_day(end)
    conditions = [R.day >= first, R.day < after]
    if department:
        conditions.append(R.department_code == department)
    return conditions


def _week(starts: Sequence[datetime]) -> Any:
    days = [china_day(s) or s.astimezone(CHINA_TZ).date() + timedelta(days=1) for s in starts]
    whens = [(R.day < day, index) for index, day in enumerate(days[1:])]
    return case(*whens, else_=len(days) - 1) if whens else case((R.day.is_not(None), 0))


def grouped(session: Session, start: datetime, end: datetime, department: str | None, now: datetime,
            starts: Sequence[datetime], ticket_week: Any) -> dict[tuple[str, int, str], dict[str, int]]:
    """Plain counts per (department, week index, state), in ``stats.Counts`` field names.

    ``ticket_week``: the same week numbering as a SQL expression over ``Ticket.created_at``, for the
    live part over open tickets."""
    week = _week(starts)
    query = (select(R.department_code, week, R.state, func.sum(R.received), func.sum(R.signed),
                    *[func.sum(getattr(R, m)) for m in ROLLUP_MEASURES])
             .where(*_period(start, end, department)).group_by(R.department_code, week, R.state))
    out: dict[tuple[str, int, str], dict[str, int]] = {}
    for dept, index, state, received, signed, *rest in session.execute(query):
        received = int(received or 0)
        counts = {"received": received, "merged": received if state == MERGED else 0,
                  "open": received if state in OPEN else 0, "overdue_open": 0, "sign_due": int(signed or 0)}
        counts.update({m: int(v or 0) for m, v in zip(ROLLUP_MEASURES, rest)})
        out[(dept, int(index), state)] = counts
    for key, overdue, sign_late in _live(session, start, end, department, now, ticket_week):
        counts = out.setdefault(key, {"received": 0})
        counts["overdue_open"] = counts.get("overdue_open", 0) + overdue
        counts["sign_due"] = counts.get("sign_due", 0) + sign_late
    return {key: counts for key, counts in out.items() if any(counts.values())}  # rows left at zero: gone


def _live(session: Session, start: datetime, end: datetime, department: str | None, now: datetime,
          ticket_week: Any) -> list[tuple[tuple[str, int, str], int, int]]:
    """Per group: open tickets past their deadline, and dispatched ones never signed past the sign-for limit."""
    late_sign = and_(Ticket.state == DISPATCHED, Ticket.signed_at.is_(None), Ticket.sign_due_at < now)
    where = [filters.is_open(), Ticket.created_at >= start, Ticket.created_at < end]
    if department:
        where.append(Ticket.department_code == department)
    columns = [Ticket.department_code, ticket_week, Ticket.state]
    query = (select(*columns, func.sum(case((Ticket.resolve_due_at < now, 1), else_=0)),
                    func.sum(case((late_sign, 1), else_=0)))
             .where(*where).group_by(*columns))
    return [((d, int(w), s), int(o or 0), int(l or 0)) for d, w, s, o, l in session.execute(query)]


def top_values(session: Session, start: datetime, end: datetime, department: str | None, columns: Sequence[str],
               top: int) -> list[tuple[tuple[Any, ...], int]]:
    """The most frequent combinations of rollup ``columns`` (``''`` read back as None, as in the tickets)."""
    cols = [getattr(R, c) for c in columns]
    count = func.sum(R.received).label("n")
    query = (select(*cols, count).where(*_period(start, end, department)).group_by(*cols)
             .having(func.sum(R.received) > 0)  # rows left at zero by reclassified or deleted tickets
             .order_by(count.desc(), *cols).limit(top))
    return [(tuple(v or None for v in row[:-1]), int(row[-1])) for row in session.execute(query)]
