"""Staff actions from the ticket detail page: one form per allowed action, posted here."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import sessionmaker

from ticketing.api.deps import get_factory, get_rules
from ticketing.problems import ApiError
from ticketing.rules import Rules
from ticketing.transitions import run_transition
from ticketing.web import csrf
from ticketing.web.detail import render_detail
from ticketing.workflow import TRANSITIONS, Command

router = APIRouter(include_in_schema=False)
TEXT_FIELDS = ("reason", "note", "reply", "target_department", "rating", "parent_number")


@router.post("/staff/tickets/{number}/actions", response_class=HTMLResponse)
async def staff_action(number: str, request: Request, factory: Annotated[sessionmaker, Depends(get_factory)],
                       rules: Annotated[Rules, Depends(get_rules)]) -> Response:
    """Run the action as hotline staff; back to the detail page with a message either way."""
    form = {k: str(v).strip() for k, v in (await request.form()).items() if isinstance(v, str)}
    if not csrf.valid(request, form.get("csrf")):
        return await render_detail(request, number, factory, rules, error="页面已过期，请刷新后重试。", status=403)
    action = form.get("action", "")
    fields = {name: (form.get(name) or None) for name in TEXT_FIELDS}
    command = Command(action=action, actor=form.get("actor") or "热线话务员", role="staff", **fields)
    try:
        run_transition(factory, number=number, command=command, rules=rules)
    except ApiError as exc:
        return await render_detail(request, number, factory, rules, error=exc.message, status=exc.status)
    label = TRANSITIONS[action].label
    return RedirectResponse(f"/staff/tickets/{number}?done={quote(label)}", status_code=303)
