"""Every failure becomes one ``Problem``; one renderer writes it, chosen by the request's path.

The JSON API's shape ``{"error": {"code", "message", "details"}}`` is the default. An adapter with an
error format of its own (Open311's array) hands ``install`` a renderer for its path prefix when the app
is built, so this edge never imports an adapter. Messages are in Chinese, logs in English.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ticketing.core.errors import ApiError

log = logging.getLogger("ticketing")

HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确，无法解析（请检查 JSON 或表单编码）。"),
    404: ("not_found", "请求的地址不存在。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
    415: ("unsupported_media_type", "不支持的请求格式。"),
}

VALIDATION_MESSAGES = {
    "missing": "此项为必填项。",
    "string_too_short": "内容不能为空。",
    "string_too_long": "内容过长，最多 {max_length} 个字符。",
    "too_short": "至少需要 {min_length} 项。",
    "too_long": "最多 {max_length} 项。",
    "literal_error": "取值无效，可选值：{expected}。",
    "string_type": "应为文本。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "list_type": "应为列表。",
    "int_parsing": "应为整数。",
    "greater_than_equal": "不能小于 {ge}。",
    "less_than_equal": "不能大于 {le}。",
    "string_pattern_mismatch": "格式不正确。",
    "json_invalid": "请求体不是有效的 JSON。",
    "model_attributes_type": "请求体应为 JSON 对象。",
    "dict_type": "请求体应为 JSON 对象。",
    "contact_invalid": "{reason}",  # a phone, e-mail or contact channel refused (domain/contact.py)
}


VALIDATION_ERROR = "validation_error"
DATABASE_UNAVAILABLE = "数据库暂时无法访问，请稍后再试。"
INTERNAL_ERROR = "服务暂时出现问题，请稍后再试。"


@dataclass(frozen=True)
class Problem:
    """A failure before it is written: what the client is told, in no wire format yet.

    ``browsable``: a plain HTTP refusal (unknown address, wrong method) that a browser on a page may
    get as a small HTML page instead of JSON.
    """

    status: int
    code: str
    message: str
    details: list[Any] = field(default_factory=list)
    headers: Mapping[str, str] | None = None
    browsable: bool = False


Renderer = Callable[[Request, Problem], Response]


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def install(app: FastAPI, renderers: Mapping[str, Renderer] | None = None) -> None:
    """Register the handlers, so every failure, even an unexpected one, answers in its path's shape.

    ``renderers``: path prefix → renderer, for adapters that answer failures in their own format.
    """
    app.state.error_renderers = dict(renderers or {})
    for kind, to_problem in PROBLEMS:
        app.add_exception_handler(kind, _handler(to_problem))


def render(request: Request, problem: Problem) -> Response:
    """The renderer registered for the path's prefix, else the JSON API's shape (or a page for people)."""
    renderers: dict[str, Renderer] = request.app.state.error_renderers
    path = request.url.path
    for prefix, renderer in renderers.items():
        if path.startswith(prefix):
            return renderer(request, problem)
    if problem.browsable and _wants_html(request, renderers):
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>{problem.status}</title>"
                            f"<p>{problem.message}</p><p><a href='/'>返回首页</a></p>",
                            status_code=problem.status, headers=problem.headers)
    return JSONResponse(error_body(problem.code, problem.message, problem.details),
                        status_code=problem.status, headers=problem.headers)


def _wants_html(request: Request, renderers: Mapping[str, Renderer]) -> bool:
    """A browser on a page; never under the JSON API or an adapter's prefix (with or without its slash)."""
    machine = ("/api", *(prefix.rstrip("/") for prefix in renderers))
    return not request.url.path.startswith(machine) and "text/html" in request.headers.get("accept", "")


def _handler(to_problem: Callable[[Request, Any], Problem]) -> Callable[[Request, Any], Awaitable[Response]]:
    async def handle(request: Request, exc: Exception) -> Response:
        return render(request, to_problem(request, exc))
    return handle


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        template = VALIDATION_MESSAGES.get(err.get("type", ""), "取值无效。")
        try:
            message = template.format(**(err.get("ctx") or {}))
        except (KeyError, IndexError):
            message = template
        details.append({"field": ".".join(loc), "type": err.get("type"), "message": message})
    return details


def _from_api_error(_request: Request, exc: ApiError) -> Problem:
    return Problem(exc.status, exc.code, exc.message, exc.details)


def _from_validation(_request: Request, exc: RequestValidationError) -> Problem:
    details = _validation_details(exc)
    summary = "；".join(f"{d['field'] or '请求'}：{d['message']}" for d in details[:3])
    return Problem(422, VALIDATION_ERROR, f"提交的内容有误：{summary}", details)


def _from_http(_request: Request, exc: StarletteHTTPException) -> Problem:
    code, message = HTTP_MESSAGES.get(exc.status_code, ("http_error", "请求无法处理。"))
    return Problem(exc.status_code, code, message, headers=exc.headers, browsable=True)


def _from_database(request: Request, exc: DBAPIError) -> Problem:
    """The database is down, restarting or dropped the connection: a 503 the client may retry.

    Handled here rather than by the catch-all because that one re-raises into the server, which then
    closes the keep-alive connection, and a 500 tells a client the request is wrong when it is only
    early. Other driver errors (a constraint, bad SQL) stay 500s.
    """
    if not isinstance(exc, OperationalError) and not exc.connection_invalidated:
        return _unexpected(request, exc)
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, str(exc.orig or exc)[:300])
    return Problem(503, "database_unavailable", DATABASE_UNAVAILABLE, headers={"Retry-After": "2"})


def _unexpected(request: Request, exc: Exception) -> Problem:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return Problem(500, "internal_error", INTERNAL_ERROR)


# Exception type → its problem; Starlette picks the most specific type for each failure.
PROBLEMS: tuple[tuple[type[Exception], Callable[[Request, Any], Problem]], ...] = (
    (ApiError, _from_api_error),
    (RequestValidationError, _from_validation),
    (StarletteHTTPException, _from_http),
    (OperationalError, _from_database),
    (DBAPIError, _from_database),
    (Exception, _unexpected),
)
