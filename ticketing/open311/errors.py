"""Open311 errors: an array of ``{"code": <http status>, "description": ...}``.

Every failure under ``/open311/`` (ours, the framework's, a database outage) is written by ``render``,
which ``ticketing/app.py`` registers for the prefix; the edge (``http/errors.py``) never imports this.
"""
from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ticketing.core.errors import ApiError
from ticketing.http.documented import DESCRIPTIONS
from ticketing.http.errors import VALIDATION_ERROR, Problem

PREFIX = "/open311/"


class Open311Error(ApiError):
    """A refusal in Open311's terms (the description is the message, in Chinese)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(status, "open311_refused", description)


class Open311ErrorItem(BaseModel):
    code: int
    description: str


OPEN311_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": list[Open311ErrorItem], "description": DESCRIPTIONS[status]} for status in (400, 403, 404, 409, 413)
}


def error_array(status: int, *descriptions: str) -> list[dict[str, Any]]:
    return [{"code": status, "description": d} for d in descriptions]


def render(_request: Request, problem: Problem) -> JSONResponse:
    """GeoReport's array; a request the schema refused is 400 with one description per field."""
    if problem.code == VALIDATION_ERROR:
        lines = [f"{d['field']}：{d['message']}" for d in problem.details]
        return JSONResponse(error_array(400, *lines), status_code=400, headers=problem.headers)
    return JSONResponse(error_array(problem.status, problem.message), status_code=problem.status,
                        headers=problem.headers)
