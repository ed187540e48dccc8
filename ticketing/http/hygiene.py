"""Request hygiene at the edge: bodies larger than ``MAX_BODY_BYTES`` and NUL characters are refused.

Why here, once, instead of in every form and schema:

* PostgreSQL text cannot hold NUL (U+0000): a NUL in a description, a search box, a filter or an
  Open311 id made psycopg raise and the service answer 500 (found by tests/hostile/test_corpus.py),
  while SQLite stored it. NUL has no meaning in a citizen's text, so every backend now refuses it
  with a 422 in Chinese — in the path, the query string, form fields and JSON strings alike.
* Nothing was bounding request bodies: a 100 MB JSON body was read into memory in full. Real requests
  are small (a description is at most 10,000 characters), so 1 MiB answers 413 before parsing.
"""
from __future__ import annotations

import json
import re
from typing import Any, Awaitable, Callable
from urllib.parse import unquote_to_bytes

MAX_BODY_BYTES = 1024 * 1024
# A JSON escape \u0000 that is not itself an escaped backslash followed by "u0000".
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
TOO_LARGE = "提交的内容过大（超过 1 MB），请精简后再提交。"
HAS_NUL = "提交的内容包含无效的空字符（NUL），请删除后再提交。"

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _refusal(status: int, code: str, message: str, open311: bool) -> tuple[int, bytes]:
    body: Any = ([{"code": status, "description": message}] if open311
                 else {"error": {"code": code, "message": message, "details": []}})
    return status, json.dumps(body, ensure_ascii=False).encode("utf-8")


def _has_nul(raw: bytes, content_type: str) -> bool:
    if b"\x00" in raw:
        return True
    if "json" in content_type:
        return bool(_JSON_NUL.search(raw))
    if "x-www-form-urlencoded" in content_type:
        return b"%00" in raw
    return False


class RequestHygiene:
    """Pure ASGI middleware: reads at most ``max_bytes`` of the body, then replays it to the app."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        open311 = scope.get("path", "").startswith("/open311/")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        target = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
        if b"\x00" in unquote_to_bytes(target) or b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
            await self._answer(send, *_refusal(400 if open311 else 422, "validation_error", HAS_NUL, open311))
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._answer(send, *_refusal(413, "payload_too_large", TOO_LARGE, open311))
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._answer(send, *_refusal(413, "payload_too_large", TOO_LARGE, open311))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _has_nul(body, headers.get("content-type", "").lower()):
            await self._answer(send, *_refusal(400 if open311 else 422, "validation_error", HAS_NUL, open311))
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _answer(send: Send, status: int, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
