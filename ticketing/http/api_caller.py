"""Who may run workflow actions through the JSON API, and as whom.

* A signed-in browser session (the console's own htmx/fetch calls): role, actor and department come
  from the account; whatever the body says about them is ignored.
* An integration (bot, Open311 gateway, a department's own system) sends
  ``Authorization: Bearer <YIJIAN_API_TOKEN>``; it is trusted to state role, actor and department.
* Anyone else gets 401. Creating tickets and reading status stay open (residents, bot, Open311).
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from fastapi import Request

from ticketing.core.errors import ApiError
from ticketing.http.sessions import SignInRequired, User, optional_user
from ticketing.http.ratelimit import SlidingWindow, client_address


@dataclass(frozen=True)
class ApiCaller:
    """``user`` for a session; None for a token-holding integration."""

    user: User | None

    def overrides(self) -> dict[str, str | None]:
        """Fields of the command fixed by the caller's identity (empty for integrations)."""
        if self.user is None:
            return {}
        return {"role": self.user.workflow_role, "actor": self.user.display_name,
                "department": self.user.department}


# Wrong tokens per client address: guessing the token is limited like guessing a password (tests/hostile).
TOKEN_FAILURES = SlidingWindow(limit=20, seconds=600, name="api_token")


def api_token_valid(request: Request) -> bool:
    """True for ``Authorization: Bearer <YIJIAN_API_TOKEN>``; a wrong token counts against the address.

    After 20 wrong tokens in 10 minutes the address gets 429 for any token, the right one included, so
    the token cannot be guessed by trying. Decided once per request (several checks may ask)."""
    cached = getattr(request.state, "api_token_ok", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        request.state.api_token_ok = False
        return False
    address = client_address(request)
    if TOKEN_FAILURES.blocked(address):
        raise ApiError(429, "too_many_attempts", "API 令牌错误次数过多，请 10 分钟后再试。")
    expected = os.environ.get("YIJIAN_API_TOKEN", "")
    valid = bool(expected) and hmac.compare_digest(token.strip().encode(), expected.encode())
    if not valid:
        TOKEN_FAILURES.hit(address)
    request.state.api_token_ok = valid
    return valid


def api_caller(request: Request) -> ApiCaller:
    """Dependency for state-changing API routes: a token or a session, else 401."""
    if api_token_valid(request):
        return ApiCaller(None)
    user = optional_user(request)
    if user is None:
        raise SignInRequired()
    return ApiCaller(user)


def is_hotline(request: Request) -> bool:
    """A token-holding integration (the bot) or signed-in hotline staff: the hotline's own side."""
    if api_token_valid(request):
        return True
    user = optional_user(request)
    return user is not None and user.is_staff


def sees_full_contact(request: Request) -> bool:
    """The hotline reads contact data in full; anyone else masked."""
    return is_hotline(request)


def masked_contact(payload: dict, anonymous: bool) -> dict:
    """The ticket JSON with name and phone masked (nothing at all for anonymous reports)."""
    from ticketing.domain.privacy import mask_name, mask_phone

    name, phone = payload.get("contact_name"), payload.get("contact_phone")
    payload["contact_name"] = None if anonymous or not name else mask_name(name, False)
    payload["contact_phone"] = None if anonymous else mask_phone(phone)
    return payload
