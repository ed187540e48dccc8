"""``GET /api/stats``: 三率 and hotspots for supervisors' dashboards."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Optional

from fastapi import APIRouter, Query

from ticketing.analytics import stats
from ticketing.api.models import Stats
from ticketing.core.errors import ApiError
from ticketing.core.timefmt import CHINA_TZ, DATE_RANGE_MESSAGE, china_date, supported_date, utcnow
from ticketing.http.api_caller import StatsReaderDep
from ticketing.http.deps import RulesDep, SessionDep
from ticketing.http.documented import api_errors

router = APIRouter(prefix="/api", tags=["stats"])
MAX_DAYS = 366


@router.get("/stats", responses=api_errors(401, 403, 422))
def get_stats(_reader: StatsReaderDep, session: SessionDep, rules: RulesDep,
              date_from: Annotated[Optional[date], Query(alias="from")] = None,
              date_to: Annotated[Optional[date], Query(alias="to")] = None,
              top: Annotated[int, Query(ge=1, le=50)] = 10) -> Stats:
    """Tickets received between ``from`` and ``to`` (China dates, inclusive; default the last 30 days).

    For the integration token and the dashboard's roles (supervisor, dispatcher, admin): 401 / 403 otherwise."""
    if not (supported_date(date_from) and supported_date(date_to)):
        raise ApiError(422, "validation_error", DATE_RANGE_MESSAGE)
    now = utcnow()
    last = date_to or china_date(now)
    first = date_from or last - timedelta(days=29)
    if first > last or (last - first).days >= MAX_DAYS:
        raise ApiError(422, "validation_error", f"统计区间无效：开始日期不能晚于结束日期，且不超过 {MAX_DAYS} 天。")
    start = datetime.combine(first, time(0), CHINA_TZ)
    end = datetime.combine(last + timedelta(days=1), time(0), CHINA_TZ)
    names = {d.code: d.name for d in rules.directory.all()}
    return Stats(date_from=first, date_to=last, **stats.summarize_sql(session, start, end, now, names, top))
