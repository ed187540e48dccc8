"""Time helpers: store UTC, present China time. Kept in one place so no view formats dates its own way."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from ticketing.core.settings import load_settings

# The hotline's clock (``Settings.timezone``, YIJIAN_TZ), one per process. Ticket numbers, working hours
# and displays all use it.
CHINA_TZ = ZoneInfo(load_settings().timezone)
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# Dates a caller may ask about (filters, statistics, Open311 windows). Python's date arithmetic overflows
# at 0001-01-01 and 9999-12-31, which made such query values answer 500 (tests/hostile).
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2200, 12, 31)
DATE_RANGE_MESSAGE = "日期超出支持范围（1990-01-01 至 2200-12-31）。"


def supported_date(day: date | None) -> bool:
    """True for None and for dates inside ``EARLIEST_DATE`` … ``LATEST_DATE``."""
    return day is None or EARLIEST_DATE <= day <= LATEST_DATE


def utcnow() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(timezone.utc)


def to_china(moment: datetime) -> datetime:
    """The same instant on the China clock; naive values are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(CHINA_TZ)


def china_date(moment: datetime) -> date:
    """Calendar date in China, which decides the ticket number's day part."""
    return to_china(moment).date()


def iso_china(moment: datetime | None) -> str | None:
    """ISO 8601 with +08:00, the form API clients receive."""
    return None if moment is None else to_china(moment).isoformat(timespec="seconds")


def display_china(moment: datetime | None) -> str:
    """Resident-facing form such as 2026年12月4日（周五）17:30."""
    if moment is None:
        return ""
    local = to_china(moment)
    weekday = WEEKDAYS_ZH[local.weekday()]
    return f"{local.year}年{local.month}月{local.day}日（{weekday}）{local:%H:%M}"


def short_china(moment: datetime | None) -> str:
    """Compact form for tables: 2026-12-04 17:30."""
    return "" if moment is None else f"{to_china(moment):%Y-%m-%d %H:%M}"
