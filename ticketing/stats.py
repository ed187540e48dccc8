"""Supervisor figures (三率 and hotspots) over a period, computed from ticket rows.

Pure: ``summarize`` takes plain rows, so the rules are testable without a database; ``load_rows``
is the one query. Rates are shares in [0, 1] or None when nothing is there to measure.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.models import Ticket

OPEN = ("已受理", "已派单", "已签收")
SATISFIED = ("满意", "基本满意")


@dataclass(frozen=True)
class Row:
    """The columns the figures need."""

    state: str
    department: str
    category: tuple[str, ...]
    district: str | None
    sign_due_at: datetime
    resolve_due_at: datetime
    signed_at: datetime | None
    resolved_at: datetime | None
    rating: str | None


def load_rows(session: Session, start: datetime, end: datetime) -> list[Row]:
    """Tickets received in [start, end)."""
    query = select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end)
    return [Row(t.state, t.department_code, tuple(t.category), t.district, t.sign_due_at, t.resolve_due_at,
                t.signed_at, t.resolved_at, t.rating) for t in session.scalars(query)]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rates(rows: list[Row], now: datetime) -> dict[str, Any]:
    """签收及时率, 办结率, 按期办结率, 满意率, and the open/overdue counts."""
    counted = [r for r in rows if r.state != "已合并"]
    sign_due = [r for r in counted if r.signed_at or (r.state == "已派单" and now > r.sign_due_at)]
    resolved = [r for r in counted if r.resolved_at]
    rated = [r for r in counted if r.rating]
    return {
        "received": len(rows),
        "merged": len(rows) - len(counted),
        "open": sum(r.state in OPEN for r in counted),
        "overdue_open": sum(r.state in OPEN and now > r.resolve_due_at for r in counted),
        "sign_on_time_rate": _share(sum(bool(r.signed_at and r.signed_at <= r.sign_due_at) for r in sign_due),
                                    len(sign_due)),
        "resolution_rate": _share(len(resolved), len(counted)),
        "on_time_rate": _share(sum(r.resolved_at <= r.resolve_due_at for r in resolved), len(resolved)),
        "satisfaction_rate": _share(sum(r.rating in SATISFIED for r in rated), len(rated)),
        "rated": len(rated),
    }


def summarize(rows: list[Row], now: datetime, names: dict[str, str], top: int = 10) -> dict[str, Any]:
    """Overall rates, per-department rates, and the most frequent categories and districts."""
    by_dept: dict[str, list[Row]] = {}
    for row in rows:
        by_dept.setdefault(row.department, []).append(row)
    departments = [{"code": code, "name": names.get(code, code), **rates(part, now)}
                   for code, part in sorted(by_dept.items(), key=lambda kv: -len(kv[1]))]
    return {
        "overall": rates(rows, now),
        "by_state": dict(Counter(r.state for r in rows)),
        "departments": departments,
        "hot_categories": _top((" › ".join(r.category) or "未分类" for r in rows), top),
        "hot_districts": _top((r.district or "未识别" for r in rows), top),
    }


def _top(values: Iterable[str], top: int) -> list[dict[str, Any]]:
    return [{"name": name, "count": count} for name, count in Counter(values).most_common(top)]
