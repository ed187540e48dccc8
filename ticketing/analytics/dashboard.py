"""The supervisor dashboard's figures for one view (period + department), ready for templates and CSV.

All counting happens in SQL (``ticketing.analytics.stats``); only the hotspot clustering runs in Python, on
the newest complaints of a few candidate places read through the place-key index (``hotspot_list``),
and its result is kept for two minutes per view so a busy dashboard does not cluster on every request.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.analytics import hotspots, stats
from ticketing.core.timefmt import CHINA_TZ, DATE_RANGE_MESSAGE, china_date, short_china, supported_date
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import MERGED
from ticketing.models.tickets import Ticket

DEFAULT_DAYS = 56
MAX_DAYS = 366
HOTSPOT_WINDOW = 20000  # newest tickets of the view whose place keys choose the candidate places
HOTSPOT_BLOCKS = 30  # candidate (place, category) blocks read and clustered for the top ten
HOTSPOT_MEMBERS = 60  # newest complaints read per block; a bigger hotspot shows "60+ 件"
HOTSPOT_TOP = 10
HOTSPOT_TEXT = 100  # the opening of a complaint says what it is about; shorter is faster to compare
CACHE_SECONDS = 120.0  # hotspots move slowly; a supervisor may see them up to two minutes old
_cache: dict[tuple[Any, ...], tuple[float, list[dict[str, Any]]]] = {}


@dataclass(frozen=True)
class View:
    """What the supervisor looks at: China dates (inclusive) and optionally one lead department."""

    first: date
    last: date
    department: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, clock(0), CHINA_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), clock(0), CHINA_TZ)


def make_view(first: date | None, last: date | None, department: str | None, rules: Rules,
              now: datetime) -> tuple[View, str | None]:
    """A valid view from query parameters, and a Chinese message when something had to be corrected."""
    out_of_range = not (supported_date(first) and supported_date(last))
    if out_of_range:
        first = last = None
    last = last or china_date(now)
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    message = None
    if first > last or (last - first).days >= MAX_DAYS:
        message = f"日期区间无效（开始不能晚于结束，且不超过 {MAX_DAYS} 天），已显示最近 {DEFAULT_DAYS} 天。"
        last = china_date(now)
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    if out_of_range:
        message = f"{DATE_RANGE_MESSAGE}已显示最近 {DEFAULT_DAYS} 天。"
    if department and department not in rules.directory:
        department, message = None, "未知的承办单位，已显示全部单位。"
    return View(first, last, department or None), message


def week_starts(view: View) -> list[datetime]:
    """The view's start, then every Monday 00:00 (China) inside it: the weekly buckets."""
    starts = [view.start]
    monday = view.first + timedelta(days=(7 - view.first.weekday()) % 7 or 7)
    while monday <= view.last:
        starts.append(datetime.combine(monday, clock(0), CHINA_TZ))
        monday += timedelta(days=7)
    return starts


def weekly(view: View, groups: dict[tuple[str, int, str], stats.Counts]) -> list[dict[str, Any]]:
    """三率 and volumes per week, oldest first, empty weeks included."""
    starts = week_starts(view)
    counts = stats.roll_up(groups, 1)
    rows = []
    for index, begin in enumerate(starts):
        finish = (starts[index + 1] if index + 1 < len(starts) else view.end) - timedelta(days=1)
        label = f"{begin:%m/%d}–{finish:%m/%d}"
        rows.append({"week": label, **stats.figures(counts.get(index, stats.Counts()))})
    return rows


def hotspot_list(session: Session, view: View, now: datetime, rules: Rules) -> list[dict[str, Any]]:
    """The top hotspots of the view (cached for two minutes per view).

    Cost is bounded whatever the years behind it: the place keys of the view's newest
    ``HOTSPOT_WINDOW`` tickets choose the candidate (place, category) blocks, and each block's newest
    complaints of the period come from the place-key index; only those texts are read and clustered.
    """
    key = (view,)
    cached = _cache.get(key)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    period = [*stats.period_filter(view.start, view.end, view.department), Ticket.state != MERGED]
    docs: list[hotspots.Doc] = []
    departments: dict[str, str] = {}
    full_blocks: set[tuple[str, str | None]] = set()
    for place_key, category in _candidate_blocks(session, period, now):
        same_category = Ticket.category_l1 == category if category is not None else Ticket.category_l1.is_(None)
        rows = session.execute(
            select(Ticket.number, func.substr(Ticket.description, 1, HOTSPOT_TEXT), Ticket.place, Ticket.created_at,
                   Ticket.department_code)
            .where(Ticket.place_key == place_key, same_category, *period)
            .order_by(Ticket.created_at.desc()).limit(HOTSPOT_MEMBERS)).all()
        if len(rows) == HOTSPOT_MEMBERS:
            full_blocks.add((place_key, category))
        for number, text, place, at, department in rows:
            departments[number] = department
            docs.append(hotspots.Doc(id=number, text=text or "", place=place, place_key=place_key, category=category,
                                     at=at))
    ranked = hotspots.hotspots(docs, now, top=HOTSPOT_TOP, anywhere=None, text_limit=HOTSPOT_TEXT)
    result = [_hotspot_json(c, departments, rules, (c.place, c.members[0].category) in full_blocks) for c in ranked]
    if len(_cache) > 64:  # many distinct views: start over rather than grow without bound
        _cache.clear()
    _cache[key] = (time.monotonic(), result)
    return result


def _candidate_blocks(session: Session, period: list[Any], now: datetime) -> list[tuple[str, str | None]]:
    """The (place key, category) blocks with the most recency-weighted complaints among the newest tickets."""
    rows = session.execute(
        select(Ticket.place_key, Ticket.category_l1, Ticket.created_at)
        .where(*period, Ticket.place_key.is_not(None))
        .order_by(Ticket.created_at.desc()).limit(HOTSPOT_WINDOW)).all()
    weight: dict[tuple[str, str | None], float] = {}
    count: dict[tuple[str, str | None], int] = {}
    for place_key, category, at in rows:
        block = (place_key, category)
        age = max((now - at).total_seconds(), 0.0) / 86400
        weight[block] = weight.get(block, 0.0) + 0.5 ** (age / hotspots.HALF_LIFE_DAYS)
        count[block] = count.get(block, 0) + 1
    repeated = [block for block, n in count.items() if n >= 2]
    return sorted(repeated, key=lambda b: (-weight[b], b[0], b[1] or ""))[:HOTSPOT_BLOCKS]


def _hotspot_json(c: hotspots.Cluster, departments: dict[str, str], rules: Rules, more: bool) -> dict[str, Any]:
    """``more``: the place had more complaints in the period than were read (``size`` is then a floor)."""
    lead = departments.get(c.members[0].id, "")
    return {"place": c.place or "地点未识别", "category": c.members[0].category or "未分类", "size": c.size,
            "more": more,
            "score": round(c.score, 2), "latest": short_china(c.latest), "label": c.label,
            "department": rules.directory.get(lead).name if lead in rules.directory else lead,
            "tickets": [d.id for d in c.members[:12]]}


def build(session: Session, view: View, now: datetime, rules: Rules) -> dict[str, Any]:
    """Everything the dashboard shows for one view."""
    names = {d.code: d.short or d.name for d in rules.directory.all()}
    groups = stats.period_counts(session, view.start, view.end, now, week_starts(view), view.department)
    summary = stats.summarize_sql(session, view.start, view.end, now, names, top=10, department=view.department,
                                  groups=groups)
    return {**summary, "weeks": weekly(view, groups), "hotspots": hotspot_list(session, view, now, rules),
            "view": {"from": view.first.isoformat(), "to": view.last.isoformat(),
                     "department": view.department or ""}}
