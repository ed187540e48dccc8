"""``/api/tickets``: create (idempotent), read, list, history."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from ticketing.api.models import TicketHistory, TicketList, TicketPublic
from ticketing.api.serialize import event_json, ticket_json
from ticketing.core.errors import ApiError
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.vocabulary import INTERNAL_ACTIONS, STATES
from ticketing.http import cursors
from ticketing.http.api_caller import TicketReaderDep, caller_permissions, contact_for
from ticketing.http.deps import FactoryDep, RulesDep, SessionDep
from ticketing.http.documented import api_errors
from ticketing.services import tickets as service
from ticketing.store.queries import NEWEST

router = APIRouter(prefix="/api/tickets", tags=["tickets"])


@router.post("", status_code=201, response_model=None, responses={
    201: {"model": TicketPublic, "description": "Created", "headers": {
        "Location": {"description": "The new ticket's address", "schema": {"type": "string"}}}},
    200: {"model": TicketPublic, "description": "Idempotent replay: the ticket created earlier with this key and body",
          "headers": {"Idempotent-Replayed": {"description": "Always `true`", "schema": {"type": "string"}}}},
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
    # Asked only when needed: creation is the hot path and stays open to everyone.
    if body.direct_answer and not caller_permissions(request).may_file_direct_answer():
        raise ApiError(403, "direct_answer_forbidden", "只有热线系统和热线工作人员可以登记直接答复。")
    created = service.create_ticket(factory, data=body, rules=rules, idempotency_key=key)
    payload = ticket_json(created.ticket, rules.directory)
    if created.replayed:
        return JSONResponse(payload, status_code=200, headers={"Idempotent-Replayed": "true"})
    return JSONResponse(payload, status_code=201, headers={"Location": f"/api/tickets/{created.ticket.number}"})


@router.get("", responses=api_errors(401, 403, 422))
def list_tickets(
    request: Request,
    permissions: TicketReaderDep,
    session: SessionDep,
    rules: RulesDep,
    state: Optional[str] = None,
    department: Optional[str] = None,
    due_status: Optional[Literal["正常", "预警", "超期"]] = None,
    conversation_id: Optional[str] = None,
    q: Annotated[Optional[str], Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[Optional[str], Query(max_length=2000)] = None,
) -> TicketList:
    """Newest first; ``state`` must be a known state; ``due_status`` selects open tickets by deadline.

    Page on with ``cursor`` (the previous answer's ``next_cursor`` or ``prev_cursor``, same filters):
    every page then costs what the first does; ``page`` (an offset) is kept for old clients and gets
    slower the deeper it goes. A department officer's list holds only the tickets their department
    leads or assists."""
    if state and state not in STATES:
        raise ApiError(422, "validation_error", f"未知的工单状态：{state[:20]}。",
                       [{"field": "state", "type": "literal_error", "message": "可选值：" + "、".join(STATES)}])
    try:
        seek = cursors.decode(request, cursor, NEWEST) if cursor else None
    except cursors.CursorError as exc:
        message = "翻页游标（cursor）无效或已被修改，请去掉 cursor 从第一页重新开始。"
        raise ApiError(422, "invalid_cursor", message,
                       [{"field": "cursor", "type": "value_error", "message": message}]) from exc
    window = service.list_tickets(session, state=state or None, department=department or None,
                                  due=due_status, conversation_id=conversation_id or None, q=(q or "").strip() or None,
                                  involving=permissions.list_scope(), page=1 if seek else page, per_page=per_page,
                                  seek=seek)
    items = [contact_for(permissions, ticket_json(t, rules.directory), t.anonymous) for t in window.rows]
    return TicketList(items=items, total=window.total, page=window.page, per_page=per_page,
                      next_cursor=cursors.encode(request, NEWEST, window.next_key, before=False, page=window.page + 1),
                      prev_cursor=cursors.encode(request, NEWEST, window.prev_key, before=True, page=window.page - 1))


@router.get("/{number}", responses=api_errors(401, 403, 404, 422))
def get_ticket(number: str, permissions: TicketReaderDep, session: SessionDep,
               rules: RulesDep) -> TicketPublic:
    """Contact name and phone are masked unless the caller holds the API token or is hotline staff;
    another department's ticket is 404, as if it did not exist."""
    ticket = service.get_ticket(session, number, permissions.may_see)
    return TicketPublic.model_validate(contact_for(permissions, ticket_json(ticket, rules.directory), ticket.anonymous))


@router.get("/{number}/history", responses=api_errors(401, 403, 404, 422))
def get_history(number: str, permissions: TicketReaderDep, session: SessionDep) -> TicketHistory:
    """The ticket's events in order; ``seq`` runs 1, 2, 3… without gaps (internal notes: the hotline only)."""
    ticket = service.get_ticket(session, number, permissions.may_see)
    hidden = frozenset() if permissions.sees_internal_notes() else INTERNAL_ACTIONS
    return TicketHistory(number=ticket.number, events=[event_json(e) for e in ticket.events if e.action not in hidden])
