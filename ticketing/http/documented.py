"""Error responses as the OpenAPI schema documents them, so clients (and schemathesis) know every answer.

Without these, ``/openapi.json`` listed only 200 and FastAPI's default 422 body (``{"detail": …}``),
while the service really answers 4xx in its own shape (``{"error": {code, message, details}}``) and
Open311 in GeoReport's error array. JSON API routers pass ``responses=api_errors(...)``; the Open311
adapter documents its array in ``open311/errors.py`` (``OPEN311_ERRORS``).
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorContent(BaseModel):
    code: str
    message: str
    details: list[Any] = []


class ErrorBody(BaseModel):
    """``{"error": {"code": "ticket_not_found", "message": "未找到工单 …", "details": []}}``"""

    error: ErrorContent


DESCRIPTIONS = {
    400: "Malformed request (body that is not valid JSON or UTF-8)",
    401: "No API token and no signed-in session",
    403: "Not allowed for this caller",
    404: "Not found",
    409: "Conflict with the ticket's state, a concurrent update or a reused idempotency key",
    413: "Request body too large",
    422: "Invalid input; the message says what, in Chinese",
}


def api_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for JSON API routes: each status with the shared error shape."""
    return {status: {"model": ErrorBody, "description": DESCRIPTIONS[status]} for status in statuses}
