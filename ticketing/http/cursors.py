"""List cursors in URLs: a page's sort key, signed, URL-safe and opaque (``after=`` / ``cursor=``).

A cursor is the compact JSON ``{"o": order, "k": key, "b": backwards, "p": page number}`` signed
with the service's secret by itsdangerous (base64url + HMAC). The signature makes every edit of a
cursor a clear refusal (422 with a Chinese message) instead of a page built from a half-valid key;
the key then passes a type check against the list's ``Order`` before it reaches SQL. A cursor holds
nothing the list itself does not show (a ticket's id and time); filters and permissions are
applied anew on every request, so a cursor never widens what a caller may see.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from itsdangerous import BadData, URLSafeSerializer

from ticketing.core.secret import load_secret
from ticketing.store.keyset import Order, Seek, is_key

SALT = "yijian.list-cursor.v1"
MAX_LENGTH = 500
MAX_PAGE = 10_000_000
INVALID = "翻页链接无效或已被修改，请从第一页重新开始。"


class CursorError(ValueError):
    """A cursor that is not one of ours (edited, truncated, from another list)."""

    message = INVALID


def _serializer(request: Request) -> URLSafeSerializer:
    secret = getattr(request.app.state, "cursor_secret", None)
    if secret is None:
        secret = request.app.state.cursor_secret = load_secret(request.app.state.settings.secret_key.get_secret_value())
    return URLSafeSerializer(secret, salt=SALT)


def encode(request: Request, order: Order, key: tuple[Any, ...] | None, *, before: bool, page: int) -> str | None:
    """The cursor of the page that starts after ``key`` (or ends before it); None for no key."""
    if key is None:
        return None
    parts = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    return str(_serializer(request).dumps({"o": order.name, "k": parts, "b": int(before), "p": page}))


def decode(request: Request, token: str, order: Order) -> Seek:
    """The ``Seek`` a cursor stands for; ``CursorError`` for anything we did not sign for this list."""
    if not token or len(token) > MAX_LENGTH:
        raise CursorError(INVALID)
    try:
        data = _serializer(request).loads(token)
    except (BadData, ValueError, UnicodeError) as exc:
        raise CursorError(INVALID) from exc
    if not isinstance(data, dict) or data.get("o") != order.name or data.get("b") not in (0, 1):
        raise CursorError(INVALID)
    raw, page = data.get("k"), data.get("p")
    if not isinstance(raw, list) or len(raw) != len(order.kinds) or not is_key(page, int) or not 1 <= page <= MAX_PAGE:
        raise CursorError(INVALID)
    key = tuple(_part(v, kind) for v, kind in zip(raw, order.kinds))
    return Seek(key, before=bool(data["b"]), page=page)


def _part(value: Any, kind: type) -> Any:
    if kind is datetime and isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as exc:
            raise CursorError(INVALID) from exc
    if not is_key(value, kind):
        raise CursorError(INVALID)
    return value
