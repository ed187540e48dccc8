"""Deadlines (办理时限): sign-for and resolve limits per policy, on the official working calendar.

Pure functions over aware datetimes; the numbers live in ``config/deadlines.yml``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Sequence

from ticketing.core.configfiles import ConfigError, load_yaml
from ticketing.core.timefmt import CHINA_TZ, to_china
from ticketing.domain.workcalendar import WorkCalendar, default_calendar

MAX_DAYS_SCANNED = 3660  # ten years: a guard against a calendar with no working days at all


@dataclass(frozen=True)
class Limit:
    """An amount in one unit: ``hours``, ``working_hours`` or ``working_days``."""

    unit: str
    amount: float

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Limit":
        if len(data) != 1:
            raise ConfigError(f"a limit needs exactly one unit: {data}")
        unit, amount = next(iter(data.items()))
        if unit not in ("hours", "working_hours", "working_days"):
            raise ConfigError(f"unknown limit unit: {unit}")
        return cls(unit, float(amount))


@dataclass(frozen=True)
class Deadlines:
    """Computed due times for one ticket; ``estimated`` when the calendar year is not official yet."""

    policy: str
    sign_due_at: datetime
    resolve_due_at: datetime
    estimated: bool


class WorkingSchedule:
    """Working hours of a working day, e.g. 09:00–12:00 and 13:30–17:30."""

    def __init__(self, intervals: Sequence[tuple[time, time]], calendar: WorkCalendar) -> None:
        self.intervals = sorted(intervals)
        self.calendar = calendar

    def end_of_day(self, day: date) -> datetime:
        return datetime.combine(day, self.intervals[-1][1], CHINA_TZ)

    def add_hours(self, start: datetime, hours: float) -> datetime:
        return to_china(start) + timedelta(hours=hours)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """Walk working intervals from ``start`` until ``hours`` of working time are used."""
        remaining = timedelta(hours=hours)
        cursor = to_china(start)
        day = cursor.date()
        for _ in range(MAX_DAYS_SCANNED):
            if self.calendar.is_working_day(day):
                for begin, end in self.intervals:
                    seg_start = max(datetime.combine(day, begin, CHINA_TZ), cursor)
                    seg_end = datetime.combine(day, end, CHINA_TZ)
                    if seg_start >= seg_end:
                        continue
                    if remaining <= seg_end - seg_start:
                        return seg_start + remaining
                    remaining -= seg_end - seg_start
            day += timedelta(days=1)
        raise ValueError("no working time found within ten years")

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """End of the N-th working day after the day of receipt (counting starts the next day)."""
        day = to_china(start).date()
        counted = 0
        for _ in range(MAX_DAYS_SCANNED):
            if counted >= days:
                return self.end_of_day(day)
            day += timedelta(days=1)
            if self.calendar.is_working_day(day):
                counted += 1
        raise ValueError("no working days found within ten years")

    def apply(self, start: datetime, limit: Limit) -> datetime:
        adders = {"hours": self.add_hours, "working_hours": self.add_working_hours,
                  "working_days": self.add_working_days}
        return adders[limit.unit](start, limit.amount)


class DeadlinePolicy:
    """Chooses a policy for a ticket and computes its due times."""

    def __init__(self, data: dict[str, Any], calendar: WorkCalendar) -> None:
        intervals = [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in data["working_hours"]]
        self.schedule = WorkingSchedule(intervals, calendar)
        self.calendar = calendar
        self.selection = data.get("selection") or []
        self.policies = {
            name: (row.get("label", name), Limit.from_data(row["sign"]), Limit.from_data(row["resolve"]))
            for name, row in data["policies"].items()
        }
        self.warning_share = float(data.get("warning_share", 0.8))

    def select(self, *, kind: str, category: Sequence[str], urgent: bool) -> str:
        """Name of the first selection rule whose conditions all hold."""
        for row in self.selection:
            if _conditions_hold(row.get("when") or {}, kind, list(category), urgent):
                return row["policy"]
        return "ordinary"

    def label(self, policy: str) -> str:
        return self.policies[policy][0] if policy in self.policies else policy

    def compute(self, start: datetime, policy: str) -> Deadlines:
        _, sign, resolve = self.policies[policy]
        sign_due = self.schedule.apply(start, sign)
        resolve_due = max(self.schedule.apply(start, resolve), sign_due)
        estimated = any(self.calendar.is_estimated(y) for y in {to_china(start).year, resolve_due.year})
        return Deadlines(policy, sign_due, resolve_due, estimated)


    def sign_due(self, start: datetime, policy: str) -> datetime:
        """Sign-for limit alone, restarted when a ticket is (re)dispatched."""
        return self.schedule.apply(start, self.policies[policy][1])

    def warning_time(self, start: datetime, due: datetime) -> datetime:
        """When the warning (预警) starts: ``warning_share`` of the allowed time after ``start``."""
        return start + (due - start) * self.warning_share if due > start else due


def _conditions_hold(when: dict[str, Any], kind: str, category: list[str], urgent: bool) -> bool:
    if "urgent" in when and bool(when["urgent"]) != urgent:
        return False
    if "kind" in when and when["kind"] != kind:
        return False
    prefix = list(when.get("category") or [])
    return category[: len(prefix)] == prefix


@lru_cache(maxsize=1)
def default_policy() -> DeadlinePolicy:
    return DeadlinePolicy(load_yaml("deadlines.yml"), default_calendar())
