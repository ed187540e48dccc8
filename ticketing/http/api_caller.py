"""Who may run workflow actions through the JSON API, and as whom.

* A signed-in browser session (the console's own htmx/fetch calls): role, actor and department come
  from the account; whatever the body says about them is ignored.
* An integration (bot, Open311 gateway, a department's own system) sends
  ``Authorization: Bearer <YIJIAN_API_TOKEN>`` (the app's ``Settings.api_token``); it is trusted to
  state role, actor and department.
* Anyone else gets 401. Only creating a ticket stays open; anonymous readers use the resident lookup
  page or Open311's public view.

Reads go through ``PermissionsDep``: the request turned into a ``Permissions`` (domain/permissions.py),
so a route asks it what this caller may see instead of comparing roles itself.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Callable

from fastapi import Depends, Request

from ticketing.core.errors import ApiError
from ticketing.domain.permissions import ANONYMOUS, INTEGRATION, Permissions, account, permissions_for
from ticketing.http.ratelimit import SlidingWindow, client_address
from ticketing.http.sessions import SignInRequired, User, optional_user


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
    address, settings = client_address(request), request.app.state.settings
    if TOKEN_FAILURES.blocked(address, settings):
        raise ApiError(429, "too_many_attempts", "API 令牌错误次数过多，请 10 分钟后再试。")
    expected = settings.api_token.get_secret_value()
    valid = bool(expected) and hmac.compare_digest(token.strip().encode(), expected.encode())
    if not valid:
        TOKEN_FAILURES.hit(address, settings)
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


def caller_permissions(request: Request) -> Permissions:
    """What this caller may see and do: the API token is the integration, a session its account, else nobody."""
    if api_token_valid(request):
        return permissions_for(INTEGRATION)
    user = optional_user(request)
    return permissions_for(account(user.role, user.department) if user else ANONYMOUS)


PermissionsDep = Annotated[Permissions, Depends(caller_permissions)]


def requiring(check: Callable[[Permissions], bool]) -> Callable[[Permissions], Permissions]:
    """Dependency factory: the caller's permissions when ``check`` allows, else 401 (nobody) or 403.

    A dependency, not a check inside the route, so an anonymous caller gets 401 before any path or
    query parameter is looked at: no 404 or 422 tells them whether a ticket number exists."""
    async def dependency(permissions: PermissionsDep) -> Permissions:
        if check(permissions):
            return permissions
        if permissions.is_anonymous:
            raise SignInRequired()
        raise ApiError(403, "forbidden", "您的账号无权查看这些数据。")
    return dependency


TicketReaderDep = Annotated[Permissions, Depends(requiring(Permissions.may_read_tickets))]
StatsReaderDep = Annotated[Permissions, Depends(requiring(Permissions.may_read_statistics))]


def contact_for(permissions: Permissions, payload: dict, anonymous: bool) -> dict:
    """The ticket JSON as this caller may see it: contact data in clear for the hotline, else masked."""
    return payload if permissions.sees_full_contact() else masked_contact(payload, anonymous)


def masked_contact(payload: dict, anonymous: bool) -> dict:
    """The ticket JSON with name and phone masked (nothing at all for anonymous reports)."""
    from ticketing.domain.privacy import mask_name, mask_phone

    name, phone = payload.get("contact_name"), payload.get("contact_phone")
    payload["contact_name"] = None if anonymous or not name else mask_name(name, False)
    payload["contact_phone"] = None if anonymous else mask_phone(phone)
    return payload
