"""Phone intake (电话受理): staff file a ticket for a caller through the same service as the API.

Routing, deadlines and emergency flags come from ``service.create_ticket``, so a ticket typed in
here is treated exactly like one from the bot or Open311.
"""
from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from ticketing.core.errors import ApiError
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.contact import CONTACT_CHANNEL_LABELS
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import HOTLINE_ACCOUNT_ROLES, KINDS
from ticketing.http.deps import FactoryDep, RulesDep
from ticketing.http.errors import VALIDATION_MESSAGES
from ticketing.http.sessions import User, require_roles
from ticketing.services import tickets as service
from ticketing.web import csrf
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
Staff = Annotated[User, Depends(require_roles(*HOTLINE_ACCOUNT_ROLES))]
FIELDS = ("kind", "description", "category", "place", "event_time", "contact_name", "contact_phone",
          "contact_channel", "contact_email")
LABELS = {"description": "诉求内容", "place": "发生地点", "contact_phone": "联系电话", "contact_name": "姓名",
          "event_time": "发生时间", "category": "分类", "kind": "类型", "contact_channel": "告知方式",
          "contact_email": "电子邮箱"}


@router.get("/staff/intake", response_class=HTMLResponse)
def intake_form(request: Request, user: Staff, rules: RulesDep) -> Response:
    return _page(request, rules, {"kind": "投诉", "token": secrets.token_urlsafe(12)})


@router.post("/staff/intake", response_class=HTMLResponse)
async def intake(request: Request, user: Staff, factory: FactoryDep,
                 rules: RulesDep) -> Response:
    """Create the ticket; the hidden form token doubles as an idempotency key (no double filing)."""
    form = {k: str(v).strip() for k, v in (await request.form()).items() if isinstance(v, str)}
    if not csrf.valid(request, form.get("csrf")):
        return _page(request, rules, form, "页面已过期，请刷新后重试。", 403)
    try:
        data = TicketCreate(**_body(form))
        created = service.create_ticket(factory, data=data, rules=rules,
                                        idempotency_key=f"intake-{form.get('token', '')[:40]}" if form.get("token") else None)
    except ValidationError as exc:
        return _page(request, rules, form, _explain(exc), 422)
    except ApiError as exc:
        return _page(request, rules, form, exc.message, exc.status)
    return RedirectResponse(f"/staff/tickets/{created.ticket.number}?done={quote('电话受理')}", status_code=303)


def _body(form: dict[str, str]) -> dict[str, Any]:
    category = [p.strip() for p in form.get("category", "").replace("›", "/").split("/") if p.strip()]
    return {**{k: form.get(k) or None for k in FIELDS if k != "category"}, "kind": form.get("kind") or "投诉",
            "category": category or None, "channel": "phone", "anonymous": form.get("anonymous") == "1",
            "urgent": form.get("urgent") == "1"}


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = LABELS.get(str(err["loc"][0]) if err["loc"] else "", "")
        template = VALIDATION_MESSAGES.get(err["type"], "内容不正确。")
        try:
            message = template.format(**(err.get("ctx") or {}))
        except (KeyError, IndexError):
            message = template
        parts.append(f"{field}：{message}" if field else message)
    return "；".join(parts)


def _page(request: Request, rules: Rules, form: dict[str, str], error: str | None = None,
          status: int = 200) -> Response:
    return TEMPLATES.TemplateResponse(request, "staff_intake.html", {
        "form": form, "error": error, "kinds": KINDS, "contact_channels": CONTACT_CHANNEL_LABELS, "category_paths": rules.categories.paths(),
        "csrf": csrf.token_for(request), "active": "intake"}, status_code=status)
