"""Health, departments and categories: small read-only resources."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse
from sqlalchemy import text

from ticketing.api.models import CalendarYear, CategoryList, DepartmentList, Health, HealthUnavailable
from ticketing.http.deps import RulesDep, SessionDep
from ticketing.http.documented import api_errors
from ticketing.http.errors import error_body

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/health", response_model=Health,
            responses={503: {"model": HealthUnavailable, "description": "Database unavailable"}, **api_errors(422)})
def health(session: SessionDep) -> Health | JSONResponse:
    """Answers only after a database round trip, so a load balancer sees a dead database."""
    try:
        session.execute(text("SELECT 1")).scalar_one()
    except Exception:
        body = error_body("database_unavailable", "数据库暂时无法访问。")
        body.update({"status": "error", "database": "unavailable"})
        return JSONResponse(body, status_code=503)
    return Health(status="ok", database="ok")


@router.get("/calendar/{year}", responses=api_errors(422))
def calendar(year: Annotated[int, Path(ge=1990, le=2200)], rules: RulesDep) -> CalendarYear:
    """The working calendar the deadlines use for ``year``; ``estimated`` until officially published."""
    return CalendarYear.model_validate(rules.deadlines.calendar.year_summary(year))


@router.get("/departments")
def departments(rules: RulesDep) -> DepartmentList:
    return DepartmentList.model_validate({"items": [d.as_json() for d in rules.directory.all()]})


@router.get("/categories")
def categories(rules: RulesDep) -> CategoryList:
    return CategoryList.model_validate({"items": rules.categories.as_json()})
