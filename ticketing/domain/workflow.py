"""The ticket state machine: one table of allowed transitions and one enforcing ``apply``.

Every accepted action changes the ticket through its effect and appends exactly one history
event; every refused one raises ``TransitionError`` and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ticketing.core.errors import TransitionError
from ticketing.domain import history
from ticketing.domain.effects import EFFECTS, GUARDS, Context
from ticketing.domain.vocabulary import (ACTION_LABELS, ANSWERED, ARCHIVED, DEPARTMENT, DISPATCHED, FOLLOWED_UP, MERGED,
                                         OPEN, RECEIVED, RESIDENT, RESOLVED, SIGNED, STAFF, SUPERVISOR, SYSTEM,
                                         WITH_DEPARTMENT, WORKFLOW_ROLE_LABELS)
from ticketing.models.tickets import Ticket, TicketEvent


@dataclass(frozen=True)
class Transition:
    """One row: which action, from which states, to which state, by whom, needing what."""

    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (an event is still recorded)
    roles: frozenset[str]
    requires: tuple[str, ...] = ()
    guard: str | None = None
    scope: str = "lead"  # which department may act: the lead (主办) or an assisting one (协办)

    @property
    def label(self) -> str:
        """The action's Chinese name, from the vocabulary (a test checks every row has one)."""
        return ACTION_LABELS[self.action]


def _t(action: str, sources: set[str] | frozenset[str], target: str | None, roles: set[str],
       requires: tuple[str, ...] = (), guard: str | None = None, scope: str = "lead") -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), requires, guard, scope)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    _t("dispatch", {RECEIVED}, DISPATCHED, {STAFF, SYSTEM}, ("target_department",)),
    _t("redispatch", WITH_DEPARTMENT, DISPATCHED, {STAFF}, ("target_department", "reason")),
    _t("return", {DISPATCHED}, RECEIVED, {DEPARTMENT}, ("reason",)),
    _t("sign", {DISPATCHED}, SIGNED, {DEPARTMENT}),
    _t("request_extension", {SIGNED}, None, {DEPARTMENT}, ("reason", "requested_due_at"), "no_pending_extension"),
    _t("approve_extension", {SIGNED}, None, {STAFF, SUPERVISOR}, (), "pending_extension"),
    _t("refuse_extension", {SIGNED}, None, {STAFF, SUPERVISOR}, ("reason",), "pending_extension"),
    _t("resolve", {SIGNED}, RESOLVED, {DEPARTMENT}, ("reply",)),
    _t("reply_directly", {RECEIVED}, RESOLVED, {STAFF, SYSTEM}, ("reply",)),
    _t("follow_up", {RESOLVED}, FOLLOWED_UP, {STAFF, RESIDENT, SYSTEM}, ("rating",)),
    # SYSTEM: the bot reopens on the resident's 不满意 (the guard still demands that rating).
    _t("reopen", {FOLLOWED_UP}, DISPATCHED, {STAFF, SUPERVISOR, SYSTEM}, ("reason",), "unsatisfied"),
    _t("archive", ANSWERED, ARCHIVED, {STAFF, SYSTEM}),
    _t("merge", OPEN, MERGED, {STAFF}, ("parent_number",)),
    _t("escalate", WITH_DEPARTMENT, None, {STAFF, SUPERVISOR, SYSTEM}, ("reason",)),
    _t("supplement", OPEN, None, {RESIDENT, STAFF, SYSTEM}, ("note",)),
    _t("reclassify", OPEN, None, {STAFF}, (), "has_change"),
    _t("add_assist", WITH_DEPARTMENT, None, {STAFF}, ("target_department",)),
    _t("assist_opinion", WITH_DEPARTMENT, None, {DEPARTMENT}, ("note",), scope="assist"),
    _t("internal_note", OPEN | ANSWERED, None, {STAFF, SUPERVISOR}, ("note",)),
)}

FIELD_LABELS = {"target_department": "单位", "reason": "原因", "reply": "答复内容",
                "requested_due_at": "申请的新办结时间", "rating": "满意度", "parent_number": "主工单号",
                "note": "补充内容"}


@dataclass(frozen=True)
class Command:
    """An action request; ``department`` is the acting department when ``role`` is department."""

    action: str
    actor: str
    role: str
    department: str | None = None
    reason: str | None = None
    note: str | None = None
    reply: str | None = None
    target_department: str | None = None
    requested_due_at: datetime | None = None
    rating: str | None = None
    parent_number: str | None = None
    category: tuple[str, ...] | None = None
    urgent: bool | None = None


def allowed_actions(ticket: Ticket, role: str | None = None, department: str | None = None) -> list[Transition]:
    """Rows applicable to the ticket's state (and role, and acting department), for buttons and discovery."""
    return [t for t in TRANSITIONS.values()
            if ticket.state in t.sources and (role is None or role in t.roles) and _guard_passes(t, ticket)
            and (department is None or _in_scope(t, ticket, department))]


def _in_scope(row: Transition, ticket: Ticket, department: str) -> bool:
    return department in ticket.assist_codes if row.scope == "assist" else department == ticket.department_code


def _guard_passes(row: Transition, ticket: Ticket) -> bool:
    """Guards look only at the ticket, so they can be asked before any command exists."""
    if row.guard is None:
        return True
    try:
        GUARDS[row.guard](ticket, None, None)  # type: ignore[arg-type]
    except TransitionError:
        return False
    return True


def apply(ticket: Ticket, command: Command, ctx: Context) -> TicketEvent:
    """Check the command against the table, run its effect, and append the history event."""
    row = _row(command.action)
    _check_role(row, ticket, command)
    if ticket.state not in row.sources:
        raise TransitionError(409, "transition_not_allowed",
                              f"工单当前状态为“{ticket.state}”，不能{row.label}。",
                              [{"state": ticket.state, "action": row.action,
                                "allowed_from": sorted(row.sources)}])
    _check_required(row, command)
    if row.guard:
        GUARDS[row.guard](ticket, command, ctx)
    from_state = ticket.state
    outcome = EFFECTS[row.action](ticket, command, ctx)
    ticket.state = outcome.target or row.target or from_state
    ticket.updated_at = ctx.now
    return history.record(ticket, action=row.action, at=ctx.now, actor=command.actor, role=command.role,
                          from_state=from_state, to_state=ticket.state, reason=command.reason,
                          note=outcome.note if outcome.note is not None else command.note, data=outcome.data)


def _row(action: str) -> Transition:
    row = TRANSITIONS.get(action)
    if row is None:
        raise TransitionError(422, "unknown_action", f"未知的操作：{action[:30]}。",
                              [{"field": "action", "allowed": sorted(TRANSITIONS)}])
    return row


def _check_role(row: Transition, ticket: Ticket, command: Command) -> None:
    if command.role not in row.roles:
        who = WORKFLOW_ROLE_LABELS.get(command.role, command.role)
        raise TransitionError(403, "role_not_allowed", f"{who}无权执行“{row.label}”操作。",
                              [{"role": command.role, "allowed_roles": sorted(row.roles)}])
    if command.role != DEPARTMENT:
        return
    if row.scope == "assist" and command.department not in ticket.assist_codes:
        raise TransitionError(403, "not_your_ticket", "贵单位不是该工单的协办单位，不能提交协办意见。")
    if row.scope == "lead" and command.department != ticket.department_code:
        raise TransitionError(403, "not_your_ticket", "该工单不属于您所在的单位，不能操作。")


def _check_required(row: Transition, command: Command) -> None:
    missing = [name for name in row.requires if not getattr(command, name)]
    if missing:
        names = "、".join(FIELD_LABELS.get(m, m) for m in missing)
        raise TransitionError(422, "validation_error", f"“{row.label}”需要填写：{names}。",
                              [{"field": m, "type": "missing", "message": "此项为必填项。"} for m in missing])
