"""China's official working calendar: weekends, public holidays and make-up working days (调休).

Based on ``holidays.China`` with an operator override file for newly published years. Never
raises for a date: where the library cannot answer, weekdays count as working days.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays

from ticketing.core.configfiles import load_yaml

FALLBACK_LAST_PUBLISHED = 2026


def _library_last_published_year() -> int:
    """Last year whose official schedule (with make-up days) the installed library carries."""
    try:
        from holidays.countries.china import ChinaStaticHolidays

        return max(ChinaStaticHolidays.special_public_holidays)
    except Exception:  # library internals moved: stay safe rather than crash at import
        return FALLBACK_LAST_PUBLISHED


@dataclass(frozen=True)
class YearOverride:
    """One year's schedule entered by the operator from the State Council notice."""

    published: bool = True
    days_off: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)


class WorkCalendar:
    """Answers ``is_working_day`` for any date and says which years are only estimated."""

    def __init__(self, overrides: dict[int, YearOverride] | None = None) -> None:
        self.overrides = overrides or {}
        self.last_published = _library_last_published_year()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "WorkCalendar":
        years = (data or {}).get("years") or {}
        return cls({int(y): _parse_year(v or {}) for y, v in years.items()})

    def is_working_day(self, day: date) -> bool:
        override = self.overrides.get(day.year)
        if override is not None:
            if day in override.working_days:
                return True
            if day in override.days_off:
                return False
            if override.published:
                return day.weekday() < 5
        return _library_is_working_day(day)

    def is_estimated(self, year: int) -> bool:
        """True when neither the library nor the override file has the official schedule."""
        override = self.overrides.get(year)
        if override is not None and override.published:
            return False
        return year > self.last_published


    def year_summary(self, year: int) -> dict[str, Any]:
        """Weekday days off and weekend working days of a year, for operators checking a schedule."""
        day, days_off, worked = date(year, 1, 1), [], []
        while day.year == year:
            working, weekday = self.is_working_day(day), day.weekday() < 5
            if weekday and not working:
                days_off.append(day.isoformat())
            elif working and not weekday:
                worked.append(day.isoformat())
            day += timedelta(days=1)
        source = "override" if year in self.overrides else "holidays"
        return {"year": year, "estimated": self.is_estimated(year), "source": source,
                "weekday_days_off": days_off, "weekend_working_days": worked}


def _parse_year(raw: dict[str, Any]) -> YearOverride:
    return YearOverride(
        published=bool(raw.get("published", True)),
        days_off=frozenset(_as_date(d) for d in raw.get("days_off") or []),
        working_days=frozenset(_as_date(d) for d in raw.get("working_days") or []),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@lru_cache(maxsize=256)
def _china_year(year: int) -> holidays.HolidayBase | None:
    try:
        return holidays.China(years=year)
    except Exception:
        return None


def _library_is_working_day(day: date) -> bool:
    calendar = _china_year(day.year)
    if calendar is None:
        return day.weekday() < 5
    try:
        return bool(calendar.is_working_day(day))
    except Exception:
        return day.weekday() < 5


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return WorkCalendar.from_data(load_yaml("calendar_overrides.yml"))
