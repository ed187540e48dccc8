"""回访: the hotline's list of answered tickets nobody has rated, and the page to record a call.

A ticket enters the list ``queue_after_hours`` after its answer (办结 / 直接答复) when it is still
unrated and has a phone number; it leaves when rated (by link, chat or this call) or after
``max_unreachable`` 无法联系 calls about that answer (config/followup.yml; docs/rating.md). The list
shows masked phones; the call page shows the number in full and writes the audit row, as the
ticket page does.
"""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ticketing.core.errors import ApiError
from ticketing.core.timefmt import display_china, short_china, utcnow
from ticketing.domain.followup import OUTCOME_LABELS, FollowUpPolicy, default_followup
from ticketing.domain.privacy import mask_phone
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import HOTLINE_ACCOUNT_ROLES, RATINGS, RESOLVED
from ticketing.http.deps import FactoryDep, RulesDep, SessionDep
from ticketing.http.sessions import User, require_roles
from ticketing.models.tickets import Ticket
from ticketing.services import accounts
from ticketing.services import rating as service
from ticketing.services import tickets as tickets_service
from ticketing.store import followup as store
from ticketing.web import csrf, paging
from ticketing.web.detail import contact_text
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
Staff = Annotated[User, Depends(require_roles(*HOTLINE_ACCOUNT_ROLES))]
PER_PAGE = 50
Short = Annotated[str, Form(max_length=2000)]


def policy_of(request: Request) -> FollowUpPolicy:
    """The app's policy (tests may set ``app.state.followup``), else config/followup.yml."""
    policy = getattr(request.app.state, "followup", None)
    return policy if isinstance(policy, FollowUpPolicy) else default_followup()


@router.get("/staff/followup", response_class=HTMLResponse)
def followup_list(request: Request, user: Staff, session: SessionDep, rules: RulesDep,
                  page: Annotated[int, Query(ge=1, le=100000)] = 1,
                  per_page: Annotated[int, Query(ge=1, le=100)] = PER_PAGE,
                  after: paging.Cursor = None, before: paging.Cursor = None) -> HTMLResponse:
    """Unrated answers older than the wait, the oldest first, with the failed calls so far; paged by
    cursor (下一页/上一页), ``page`` still works for old links. An edited cursor: the first page, 422."""
    policy = policy_of(request)
    seek, error = paging.seek(request, store.FOLLOWUP, after, before)
    start = 1 if seek or error else page
    window = store.followup_queue(session, policy, utcnow(), limit=per_page, offset=(start - 1) * per_page, seek=seek)
    return TEMPLATES.TemplateResponse(request, "staff_followup.html", {
        "rows": [_row(e, rules) for e in window.rows], "total": window.total,
        **paging.context(request, store.FOLLOWUP, window, error), "policy": policy,
        "extra": "" if per_page == PER_PAGE else f"&per_page={per_page}",
        "given_up": store.given_up_count(session, policy), "active": "followup",
        "done": request.query_params.get("done", "")[:40]}, status_code=422 if error else 200)


def _row(entry: store.QueueEntry, rules: Rules) -> dict[str, Any]:
    t = entry.ticket
    reply = t.reply or ""
    return {"number": t.number, "resolved": short_china(t.resolved_at), "kind": t.kind,
            "department": rules.directory.get(t.department_code).name,
            "reply": reply if len(reply) <= 60 else reply[:60] + "…", "phone": mask_phone(t.contact_phone),
            "attempts": entry.unreachable, "last_call": short_china(entry.last_call_at) if entry.last_call_at else ""}


@router.get("/staff/followup/{number}", response_class=HTMLResponse)
def followup_call(request: Request, number: str, user: Staff, session: SessionDep, rules: RulesDep) -> Response:
    """One call: the answer, the phone in full (audited), earlier calls, and the two outcome forms."""
    return _call_page(request, session, number, user, rules)


def _call_page(request: Request, session: Any, number: str, user: User, rules: Rules, *,
               error: str | None = None, status: int = 200) -> Response:
    try:
        ticket = tickets_service.get_ticket(session, number)
    except ApiError as exc:
        return TEMPLATES.TemplateResponse(request, "not_found.html", {"message": exc.message}, status_code=404)
    context = {"t": ticket, "contact": contact_text(ticket, portal=False), "ratings": RATINGS,
               "department": rules.directory.get(ticket.department_code).name,
               "resolved": display_china(ticket.resolved_at), "calls": _calls(session, ticket),
               "policy": policy_of(request), "error": error, "csrf": csrf.token_for(request),
               "awaiting": ticket.rating is None and ticket.state == RESOLVED, "active": "followup"}
    _audit_contact(session, request, user, ticket)
    return TEMPLATES.TemplateResponse(request, "staff_followup_call.html", context, status_code=status)


def _audit_contact(session: Any, request: Request, user: User, ticket: Ticket) -> None:
    """The phone in full was put on a staff screen: one audit row, as on the ticket page."""
    if ticket.contact_phone or ticket.contact_name:
        accounts.audit(session, username=user.username, role=user.role, action="view_contact",
                       ticket_number=ticket.number, detail=request.url.path[:200],
                       ip=request.client.host if request.client else None)
        session.commit()


def _calls(session: Any, ticket: Ticket) -> list[dict[str, str]]:
    return [{"at": short_china(c.at), "who": c.username, "outcome": OUTCOME_LABELS.get(c.outcome, c.outcome),
             "rating": c.rating or "", "note": c.note or ""} for c in store.calls_for(session, ticket.id)]


@router.post("/staff/followup/{number}", response_class=HTMLResponse)
def record_call(request: Request, number: str, user: Staff, factory: FactoryDep, session: SessionDep,
                rules: RulesDep, outcome: Annotated[str, Form(max_length=20)] = "",
                rating: Annotated[str, Form(max_length=10)] = "", note: Short = "",
                csrf_token: Annotated[str, Form(alias="csrf", max_length=100)] = "") -> Response:
    """Record what the call gave: a rating (through the workflow's 回访 action) or 无法联系."""
    if not csrf.valid(request, csrf_token):
        return _call_page(request, session, number, user, rules, error="页面已过期，请刷新后重试。", status=403)
    try:
        done = _record(request, factory, number, user, rules, outcome, rating, note)
    except ApiError as exc:
        return _call_page(request, session, number, user, rules, error=exc.message, status=exc.status)
    return RedirectResponse(f"/staff/followup?done={quote(done)}", status_code=303)


def _record(request: Request, factory: Any, number: str, user: User, rules: Rules, outcome: str, rating: str,
            note: str) -> str:
    now = utcnow()
    if outcome == "unreachable":
        count = service.record_unreachable(factory, number=number, note=note, staff_name=user.display_name,
                                           username=user.username, rules=rules, now=now)
        left = policy_of(request).gave_up(count)
        return f"{number} 无法联系（第 {count} 次）" + ("，已移出回访列表" if left else "")
    if outcome != "rated" or rating not in RATINGS:
        raise ApiError(422, "validation_error", "请选择市民的评价（满意、基本满意或不满意），或登记“无法联系”。")
    _, reopened = service.record_phone_rating(factory, number=number, rating=rating, comment=note,
                                              staff_name=user.display_name, username=user.username,
                                              rules=rules, now=now)
    return f"{number} 回访：{rating}" + ("，已重办" if reopened else "")
