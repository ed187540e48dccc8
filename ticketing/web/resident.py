"""查询工单: residents check a ticket with its number and the last four digits of their phone.

No account needed, so the answer says little (state, department, due date, the reply) and the form
is rate-limited per address. Anonymous tickets and tickets without a phone cannot be checked here:
the page says so and points to the chat and the hotline.
"""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from ticketing.core.timefmt import display_china
from ticketing.domain.rules import Rules
from ticketing.http.deps import RulesDep, SessionDep
from ticketing.http.ratelimit import SlidingWindow, client_address
from ticketing.models.tickets import Ticket
from ticketing.store.numbering import is_valid_number
from ticketing.web import csrf
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
LIMIT = SlidingWindow(limit=10, seconds=600, name="lookup")  # shared by all workers through Redis when set
NOT_FOUND = "未找到匹配的工单，请核对工单号和手机号后四位。"


@router.get("/lookup", response_class=HTMLResponse)
def lookup_form(request: Request) -> Response:
    return _page(request)


@router.post("/lookup", response_class=HTMLResponse)
def lookup(request: Request, session: SessionDep,
           rules: RulesDep, number: Annotated[str, Form(max_length=30)] = "",
           last4: Annotated[str, Form(max_length=10)] = "",
           csrf_token: Annotated[str, Form(alias="csrf", max_length=100)] = "") -> Response:
    number, last4 = number.strip(), last4.strip()
    if not csrf.valid(request, csrf_token):
        return _page(request, number, error="页面已过期，请刷新后重试。", status=403)
    if LIMIT.over(client_address(request), request.app.state.settings):
        return _page(request, number, error="查询过于频繁，请 10 分钟后再试，或拨打 12345 热线。", status=429)
    if not re.fullmatch(r"\d{4}", last4) or not is_valid_number(number):
        return _page(request, number, error="请输入正确的工单号（如 20261125-000001）和手机号后四位数字。", status=422)
    ticket = session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is not None and (ticket.anonymous or not ticket.contact_phone):
        return _page(request, number, error="该工单为匿名反映或未留联系电话，无法在线核验身份。请在智能客服对话中"
                                            "输入工单号查询，或拨打 12345 热线。", status=200)
    if ticket is None or re.sub(r"\D", "", ticket.contact_phone or "")[-4:] != last4:
        return _page(request, number, error=NOT_FOUND, status=404)
    return _page(request, number, result=_result(ticket, rules))


def _result(ticket: Ticket, rules: Rules) -> dict[str, str | None]:
    return {"number": ticket.number, "state": ticket.state, "kind": ticket.kind,
            "department": rules.directory.get(ticket.department_code).name,
            "created": display_china(ticket.created_at), "due": display_china(ticket.resolve_due_at),
            "reply": ticket.reply, "merged_into": ticket.merged_into}


def _page(request: Request, number: str = "", *, result: dict | None = None, error: str | None = None,
          status: int = 200) -> Response:
    settings = request.app.state.settings
    return TEMPLATES.TemplateResponse(request, "lookup.html", {
        "number": number[:30], "result": result, "error": error, "csrf": csrf.token_for(request),
        "hotline": settings.hotline_number}, status_code=status)
