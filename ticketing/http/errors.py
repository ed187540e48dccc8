"""One error shape everywhere: ``{"error": {"code", "message", "details"}}``, messages in Chinese."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ticketing.open311.errors import Open311Error, error_array
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
}


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def _is_open311(request: Request) -> bool:
    return request.url.path.startswith("/open311/")


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api") or path.startswith("/open311")) and "text/html" in request.headers.get("accept", "")


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


def install(app: FastAPI) -> None:
    """Register handlers so every failure, even an unexpected one, answers in the shared shape."""

    @app.exception_handler(Open311Error)
    async def _open311(request: Request, exc: Open311Error) -> JSONResponse:
        return JSONResponse(error_array(exc.status, exc.description), status_code=exc.status)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        if _is_open311(request):
            return JSONResponse(error_array(exc.status, exc.message), status_code=exc.status)
        return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        summary = "；".join(f"{d['field'] or '请求'}：{d['message']}" for d in details[:3])
        if _is_open311(request):
            return JSONResponse(error_array(400, *[f"{d['field']}：{d['message']}" for d in details]), status_code=400)
        return JSONResponse(error_body("validation_error", f"提交的内容有误：{summary}", details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse | HTMLResponse:
        code, message = HTTP_MESSAGES.get(exc.status_code, ("http_error", "请求无法处理。"))
        if _is_open311(request):
            return JSONResponse(error_array(exc.status_code, message), status_code=exc.status_code)
        if _wants_html(request):
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>{exc.status_code}</title>"
                                f"<p>{message}</p><p><a href='/'>返回首页</a></p>", status_code=exc.status_code)
        return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def _database_unavailable(request: Request, exc: DBAPIError) -> JSONResponse:
        """The database is down, restarting or dropped the connection: a 503 the client may retry.

        Handled here rather than by the catch-all below because that one re-raises into the server,
        which then closes the keep-alive connection, and a 500 tells a client the request is wrong
        when it is only early. Other driver errors (a constraint, bad SQL) stay 500s.
        """
        if not isinstance(exc, OperationalError) and not exc.connection_invalidated:
            return await _unexpected(request, exc)
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, str(exc.orig or exc)[:300])
        message = "数据库暂时无法访问，请稍后再试。"
        headers = {"Retry-After": "2"}
        if _is_open311(request):
            return JSONResponse(error_array(503, message), status_code=503, headers=headers)
        return JSONResponse(error_body("database_unavailable", message), status_code=503, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if _is_open311(request):
            return JSONResponse(error_array(500, "服务暂时出现问题，请稍后再试。"), status_code=500)
        return JSONResponse(error_body("internal_error", "服务暂时出现问题，请稍后再试。"), status_code=500)
