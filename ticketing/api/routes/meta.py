"""Health, departments and categories: small read-only resources."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from ticketing.http.documented import ErrorBody, api_errors
from ticketing.http.deps import RulesDep, SessionDep
from ticketing.http.errors import error_body
from ticketing.domain.rules import Rules

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/health", response_model=None, responses={503: {"model": ErrorBody, "description": "Database unavailable"}, **api_errors(422)})
def health(session: SessionDep) -> dict[str, str] | JSONResponse:
    """Answers only after a database round trip, so a load balancer sees a dead database."""
    try:
        session.execute(text("SELECT 1")).scalar_one()
    except Exception:
        body = error_body("database_unavailable", "数据库暂时无法访问。")
        body.update({"status": "error", "database": "unavailable"})
        return JSONResponse(body, status_code=503)
    return {"status": "ok", "database": "ok"}


@router.get("/calendar/{year}", responses=api_errors(422))
def calendar(year: Annotated[int, Path(ge=1990, le=2200)], rules: RulesDep) -> dict[str, Any]:
    """The working calendar the deadlines use for ``year``; ``estimated`` until officially published."""
    return rules.deadlines.calendar.year_summary(year)


@router.get("/departments")
def departments(rules: RulesDep) -> dict[str, Any]:
    return {"items": [d.as_json() for d in rules.directory.all()]}


@router.get("/categories")
def categories(rules: RulesDep) -> dict[str, Any]:
    return {"items": rules.categories.as_json()}
