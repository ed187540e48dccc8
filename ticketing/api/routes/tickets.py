"""``/api/tickets``: create (idempotent), read, list, history."""
from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker

from ticketing.services import tickets as service
from ticketing.http.documented import api_errors
from ticketing.http.deps import FactoryDep, RulesDep, SessionDep
from ticketing.api.serialize import event_json, ticket_json
from ticketing.http.api_caller import is_hotline, masked_contact, sees_full_contact
from ticketing.core.errors import ApiError
from ticketing.domain.rules import Rules
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.vocabulary import STATES
from ticketing.domain.vocabulary import INTERNAL_ACTIONS

router = APIRouter(prefix="/api/tickets", tags=["tickets"])


@router.post("", status_code=201, responses={
    200: {"description": "Idempotent replay: the ticket created earlier with this key and body"},
    **api_errors(400, 403, 409, 413, 422)})
def create_ticket(
    body: TicketCreate,
    request: Request,
    factory: FactoryDep,
    rules: RulesDep,
    idempotency_key: Annotated[Optional[str], Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """201 with the new ticket; 200 + ``Idempotent-Replayed: true`` when the same key and body repeat."""
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 128:
        raise ApiError(422, "validation_error", "幂等键（Idempotency-Key）最长 128 个字符。",
                       [{"field": "Idempotency-Key", "type": "string_too_long", "message": "最长 128 个字符。"}])
    if body.direct_answer and not is_hotline(request):
        raise ApiError(403, "direct_answer_forbidden", "只有热线系统和热线工作人员可以登记直接答复。")
    created = service.create_ticket(factory, data=body, rules=rules, idempotency_key=key)
    payload = ticket_json(created.ticket, rules.directory)
    if created.replayed:
        return JSONResponse(payload, status_code=200, headers={"Idempotent-Replayed": "true"})
    return JSONResponse(payload, status_code=201, headers={"Location": f"/api/tickets/{created.ticket.number}"})


@router.get("", responses=api_errors(422))
def list_tickets(
    request: Request,
    session: SessionDep,
    rules: RulesDep,
    state: Optional[str] = None,
    department: Optional[str] = None,
    due_status: Optional[Literal["正常", "预警", "超期"]] = None,
    conversation_id: Optional[str] = None,
    q: Annotated[Optional[str], Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Newest first; ``state`` must be a known state; ``due_status`` selects open tickets by deadline."""
    if state and state not in STATES:
        raise ApiError(422, "validation_error", f"未知的工单状态：{state[:20]}。",
                       [{"field": "state", "type": "literal_error", "message": "可选值：" + "、".join(STATES)}])
    rows, total = service.list_tickets(session, state=state or None, department=department or None,
                                       due=due_status, conversation_id=conversation_id or None, q=(q or "").strip() or None,
                                       page=page, per_page=per_page)
    full = sees_full_contact(request)
    items = [ticket_json(t, rules.directory) for t in rows]
    items = items if full else [masked_contact(i, t.anonymous) for i, t in zip(items, rows)]
    return {"items": items, "total": total,
            "page": page, "per_page": per_page}


@router.get("/{number}", responses=api_errors(404, 422))
def get_ticket(number: str, request: Request, session: SessionDep,
               rules: RulesDep) -> dict[str, Any]:
    """Contact name and phone are masked unless the caller holds the API token or is hotline staff."""
    ticket = service.get_ticket(session, number)
    payload = ticket_json(ticket, rules.directory)
    return payload if sees_full_contact(request) else masked_contact(payload, ticket.anonymous)


@router.get("/{number}/history", responses=api_errors(404, 422))
def get_history(number: str, request: Request, session: SessionDep) -> dict[str, Any]:
    """The ticket's events in order; ``seq`` runs 1, 2, 3… without gaps (hotline-only notes need the token)."""
    ticket = service.get_ticket(session, number)
    hidden = frozenset() if sees_full_contact(request) else INTERNAL_ACTIONS
    return {"number": ticket.number, "events": [event_json(e) for e in ticket.events if e.action not in hidden]}
