"""Supervisor dashboard (督办看板) under ``/supervise/``: 三率 by department and week, open and
overdue counts, top categories and hotspots, with a CSV export of exactly the view on screen.

Charts are drawn in the browser by Apache ECharts, served from our own ``node_modules`` (no CDN).
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.orm import Session

from ticketing.analytics import dashboard as dashboard_data
from ticketing.core.timefmt import short_china, utcnow
from ticketing.domain.permissions import DASHBOARD_ROLES
from ticketing.domain.rules import Rules
from ticketing.http.deps import RulesDep, SessionDep
from ticketing.http.sessions import User, require_roles
from ticketing.web.dashboard_csv import percent, to_csv
from ticketing.web.templating import TEMPLATES

SUPERVISORS = require_roles(*DASHBOARD_ROLES)

router = APIRouter(include_in_schema=False)


@router.get("/static/vendor/echarts.min.js")
def echarts_js(request: Request) -> Response:
    """Apache ECharts from node_modules (``Settings.echarts_js``), served by us (no CDN); cached by the
    browser for a day."""
    path: Path = request.app.state.settings.echarts_js
    if not path.is_file():
        return Response("/* echarts not installed: run npm ci */", status_code=404,
                        media_type="application/javascript")
    return FileResponse(path, media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


def _data(session: Session, rules: Rules, first: date | None, last: date | None,
          department: str | None) -> tuple[dict, str | None]:
    now = utcnow()
    view, message = dashboard_data.make_view(first, last, department, rules, now)
    data = dashboard_data.build(session, view, now, rules)
    data["view"]["department_name"] = rules.directory.get(view.department).name if view.department else ""
    data["generated"] = short_china(now)
    return data, message


def _csv_response(data: dict) -> Response:
    view = data["view"]
    name = f"supervise_{view['from']}_{view['to']}{'_' + view['department'] if view['department'] else ''}.csv"
    return Response(to_csv(data), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/supervise", response_class=HTMLResponse)
@router.get("/supervise/", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep,
              rules: RulesDep, user: Annotated[User, Depends(SUPERVISORS)],
              date_from: Annotated[Optional[date], Query(alias="from")] = None,
              date_to: Annotated[Optional[date], Query(alias="to")] = None,
              department: Annotated[Optional[str], Query(max_length=40)] = None,
              format: Annotated[Optional[str], Query(max_length=10)] = None) -> Response:
    """The dashboard page; ``?format=csv`` downloads the same view."""
    data, message = _data(session, rules, date_from, date_to, department)
    if format == "csv":
        return _csv_response(data)
    view = data["view"]
    query = urlencode({k: v for k, v in (("from", view["from"]), ("to", view["to"]),
                                         ("department", view["department"])) if v})
    return TEMPLATES.TemplateResponse(request, "dashboard.html", {
        "d": data, "message": message, "percent": percent, "export_url": f"/supervise/export.csv?{query}",
        "departments": [x for x in rules.directory.all() if x.code != rules.router.default],
        "chart_json": json.dumps(_chart_data(data), ensure_ascii=False)})


@router.get("/supervise/export.csv")
def export_csv(session: SessionDep, rules: RulesDep,
               user: Annotated[User, Depends(SUPERVISORS)],
               date_from: Annotated[Optional[date], Query(alias="from")] = None,
               date_to: Annotated[Optional[date], Query(alias="to")] = None,
               department: Annotated[Optional[str], Query(max_length=40)] = None) -> Response:
    """The current view as CSV (UTF-8 with BOM, opens in Excel)."""
    data, _ = _data(session, rules, date_from, date_to, department)
    return _csv_response(data)


def _chart_data(data: dict) -> dict:
    """Only what the charts draw, so the page does not ship the whole view twice."""
    rate = lambda v: None if v is None else round(v * 100, 1)  # noqa: E731
    depts = data["departments"][:12]
    return {
        "weeks": {"labels": [w["week"] for w in data["weeks"]], "received": [w["received"] for w in data["weeks"]],
                  "sign": [rate(w["sign_on_time_rate"]) for w in data["weeks"]],
                  "ontime": [rate(w["on_time_rate"]) for w in data["weeks"]],
                  "satisfied": [rate(w["satisfaction_rate"]) for w in data["weeks"]]},
        "departments": {"labels": [d["name"] for d in depts],
                        "sign": [rate(d["sign_on_time_rate"]) for d in depts],
                        "ontime": [rate(d["on_time_rate"]) for d in depts],
                        "satisfied": [rate(d["satisfaction_rate"]) for d in depts]},
        "states": [{"name": k, "value": v} for k, v in data["by_state"].items()],
        "categories": [{"name": c["name"], "value": c["count"]} for c in data["hot_categories"]],
        "hotspots": [{"name": f"{i}. {h['place']}", "value": h["size"], "score": h["score"]}
                     for i, h in enumerate(data["hotspots"], 1)],
    }
