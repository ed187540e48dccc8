"""Supervisor figures (三率, open/overdue counts, top categories) over a period.

The counting rules exist twice on purpose: ``count_rows`` in plain Python (the readable
definition, tested without a database) and ``grouped_counts`` as one GROUP BY query, so 50,000
tickets never travel to Python. A test checks both agree. "Open" and "overdue" are not defined here:
both versions use the vocabulary's sets and the shared rules (``domain.overdue``, ``store.filters``).
Rates are shares in [0, 1] or None when nothing is there to measure.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ticketing.analytics import rollup_figures
from ticketing.domain.overdue import is_overdue, sign_overdue
from ticketing.domain.vocabulary import MERGED, OPEN, SATISFIED
from ticketing.models.tickets import Ticket
from ticketing.store import filters


@dataclass(frozen=True)
class Row:
    """The columns the figures need (for the pure rules and their tests)."""

    state: str
    department: str
    category: tuple[str, ...]
    district: str | None
    sign_due_at: datetime
    resolve_due_at: datetime
    signed_at: datetime | None
    resolved_at: datetime | None
    rating: str | None


@dataclass(frozen=True)
class Counts:
    """What the rates are made of; summable, so SQL groups and Python rows give the same shape."""

    received: int = 0
    merged: int = 0
    open: int = 0
    overdue_open: int = 0
    sign_due: int = 0
    signed_on_time: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    rated: int = 0
    satisfied: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def count_rows(rows: Iterable[Row], now: datetime) -> Counts:
    """The counting rules, one ticket at a time."""
    total = Counts()
    for r in rows:
        counted = r.state != MERGED
        sign_due = counted and bool(r.signed_at or sign_overdue(r, now))
        total += Counts(
            received=1, merged=int(not counted), open=int(counted and r.state in OPEN),
            overdue_open=int(counted and is_overdue(r, now)),
            sign_due=int(sign_due), signed_on_time=int(sign_due and bool(r.signed_at and r.signed_at <= r.sign_due_at)),
            resolved=int(counted and r.resolved_at is not None),
            resolved_on_time=int(counted and r.resolved_at is not None and r.resolved_at <= r.resolve_due_at),
            rated=int(counted and bool(r.rating)), satisfied=int(counted and r.rating in SATISFIED))
    return total


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(c: Counts) -> dict[str, Any]:
    """签收及时率, 办结率, 按期办结率, 满意率 and the counts, in the /api/stats JSON shape."""
    counted = c.received - c.merged
    return {
        "received": c.received, "merged": c.merged, "open": c.open, "overdue_open": c.overdue_open,
        "sign_on_time_rate": _share(c.signed_on_time, c.sign_due),
        "resolution_rate": _share(c.resolved, counted),
        "on_time_rate": _share(c.resolved_on_time, c.resolved),
        "satisfaction_rate": _share(c.satisfied, c.rated),
        "rated": c.rated,
        "rated_share": _share(c.rated, c.resolved),  # 评价率: how many answers the 满意率 rests on
    }


def rates(rows: list[Row], now: datetime) -> dict[str, Any]:
    """Figures for a list of rows (pure; kept for tests and small callers)."""
    return figures(count_rows(rows, now))


def _flag(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _count_columns(now: datetime) -> list[Any]:
    """The SQL twins of ``count_rows``, in ``Counts`` field order."""
    counted = Ticket.state != MERGED
    sign_due = and_(counted, or_(Ticket.signed_at.is_not(None), filters.sign_overdue(now)))
    resolved = and_(counted, Ticket.resolved_at.is_not(None))
    rated = and_(counted, Ticket.rating.is_not(None), Ticket.rating != "")
    return [func.count(), _flag(~counted), _flag(and_(counted, filters.is_open())),
            _flag(and_(counted, filters.overdue(now))),
            _flag(sign_due), _flag(and_(sign_due, Ticket.signed_at <= Ticket.sign_due_at)),
            _flag(resolved), _flag(and_(resolved, Ticket.resolved_at <= Ticket.resolve_due_at)),
            _flag(rated), _flag(and_(counted, Ticket.rating.in_(sorted(SATISFIED))))]


def period_filter(start: datetime, end: datetime, department: str | None = None) -> list[ColumnElement[bool]]:
    """Tickets received in [start, end), optionally of one lead department."""
    conditions = [Ticket.created_at >= start, Ticket.created_at < end]
    if department:
        conditions.append(Ticket.department_code == department)
    return conditions


def week_key(starts: Sequence[datetime]) -> Any:
    """A SQL expression numbering the week each ticket was received in (0 = first start).

    Week boundaries are computed in Python on the China clock, so SQLite and PostgreSQL agree and
    no database needs to know the hotline's time zone.
    """
    whens = [(Ticket.created_at < boundary, index) for index, boundary in enumerate(starts[1:])]
    return case(*whens, else_=len(starts) - 1) if whens else case((Ticket.id.is_not(None), 0))


def top_values(session: Session, where: Sequence[ColumnElement[bool]], columns: Sequence[Any],
               top: int) -> list[tuple[tuple[Any, ...], int]]:
    """The ``top`` most frequent value combinations of ``columns`` (ties by value, for stable output)."""
    count = func.count().label("n")
    query = (select(*columns, count).where(*where).group_by(*columns)
             .order_by(count.desc(), *columns).limit(top))
    return [(tuple(row[:-1]), int(row[-1])) for row in session.execute(query)]


def grouped_counts(session: Session, where: Sequence[ColumnElement[bool]], now: datetime,
                   starts: Sequence[datetime]) -> dict[tuple[str, int, str], Counts]:
    """``Counts`` per (department, week index, state) in one scan; every other breakdown sums these."""
    columns = [Ticket.department_code, week_key(starts), Ticket.state]
    query = select(*columns, *_count_columns(now)).where(*where).group_by(*columns)
    return {(row[0], int(row[1]), row[2]): Counts(*(int(v or 0) for v in row[3:])) for row in session.execute(query)}


def period_counts(session: Session, start: datetime, end: datetime, now: datetime, starts: Sequence[datetime],
                  department: str | None = None) -> dict[tuple[str, int, str], Counts]:
    """``grouped_counts`` of the tickets received in [start, end): from the rollup where the database
    has one (PostgreSQL, whole China days: the cost of a year no longer grows with its volume),
    else by counting the tickets."""
    if rollup_figures.usable(session, start, end):
        groups = rollup_figures.grouped(session, start, end, department, now, starts, week_key(starts))
        return {key: Counts(**counts) for key, counts in groups.items()}
    return grouped_counts(session, period_filter(start, end, department), now, starts)


def period_top(session: Session, start: datetime, end: datetime, department: str | None, columns: Sequence[str],
               top: int) -> list[tuple[tuple[Any, ...], int]]:
    """``top_values`` of the period by column names (from the rollup where there is one)."""
    if rollup_figures.usable(session, start, end):
        return rollup_figures.top_values(session, start, end, department, columns, top)
    return top_values(session, period_filter(start, end, department), [getattr(Ticket, c) for c in columns], top)


def roll_up(groups: dict[tuple[str, int, str], Counts], position: int) -> dict[Any, Counts]:
    """Sum the grouped counts by one part of the key (0 department, 1 week, 2 state)."""
    out: dict[Any, Counts] = {}
    for key, counts in groups.items():
        out[key[position]] = out.get(key[position], Counts()) + counts
    return out


def summarize_sql(session: Session, start: datetime, end: datetime, now: datetime, names: dict[str, str],
                  top: int = 10, department: str | None = None,
                  groups: dict[tuple[str, int, str], Counts] | None = None) -> dict[str, Any]:
    """Overall figures, per-department figures, states, and the most frequent categories and districts.

    ``groups`` lets a caller that already ran ``grouped_counts`` (the dashboard) skip the scan.
    """
    groups = period_counts(session, start, end, now, [start], department) if groups is None else groups
    by_dept = roll_up(groups, 0)
    categories = period_top(session, start, end, department, ("category_l1", "category_l2", "category_l3"), top)
    districts = period_top(session, start, end, department, ("district",), top)
    overall = sum(by_dept.values(), Counts())
    departments = [{"code": code, "name": names.get(code, code), **figures(c)}
                   for code, c in sorted(by_dept.items(), key=lambda kv: (-kv[1].received, kv[0]))]
    return {
        "overall": figures(overall),
        "by_state": {state: c.received for state, c in roll_up(groups, 2).items()},
        "departments": departments,
        "hot_categories": _named((" › ".join(p for p in path if p) or "未分类", n) for path, n in categories),
        "hot_districts": _named((path[0] or "未识别", n) for path, n in districts),
    }


def summarize(rows: list[Row], now: datetime, names: dict[str, str], top: int = 10) -> dict[str, Any]:
    """The same summary from plain rows (pure; the reference the SQL version is tested against)."""
    by_dept: dict[str, list[Row]] = {}
    for row in rows:
        by_dept.setdefault(row.department, []).append(row)
    departments = [{"code": code, "name": names.get(code, code), **rates(part, now)}
                   for code, part in sorted(by_dept.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    states: dict[str, int] = {}
    for row in rows:
        states[row.state] = states.get(row.state, 0) + 1
    return {
        "overall": rates(rows, now),
        "by_state": states,
        "departments": departments,
        "hot_categories": _top((" › ".join(r.category) or "未分类" for r in rows), top),
        "hot_districts": _top((r.district or "未识别" for r in rows), top),
    }


def _top(values: Iterable[str], top: int) -> list[dict[str, Any]]:
    tally: dict[str, int] = {}
    for value in values:
        tally[value] = tally.get(value, 0) + 1
    ordered = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [{"name": name, "count": count} for name, count in ordered]


def _named(pairs: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"name": name, "count": count} for name, count in pairs]
