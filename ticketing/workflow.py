"""The ticket state machine: one table of allowed transitions and one enforcing ``apply``.

Every accepted action changes the ticket through its effect and appends exactly one history
event; every refused one raises ``TransitionError`` and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ticketing import history
from ticketing.models import Ticket, TicketEvent
from ticketing.problems import TransitionError
from ticketing.workflow_effects import EFFECTS, GUARDS, Context

STAFF, DEPARTMENT, RESIDENT, SUPERVISOR, SYSTEM = "staff", "department", "resident", "supervisor", "system"
ROLE_LABELS = {STAFF: "话务员/派单员", DEPARTMENT: "承办单位", RESIDENT: "市民", SUPERVISOR: "督办", SYSTEM: "系统"}
OPEN = frozenset({"已受理", "已派单", "已签收"})


@dataclass(frozen=True)
class Transition:
    """One row: which action, from which states, to which state, by whom, needing what."""

    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (an event is still recorded)
    roles: frozenset[str]
    requires: tuple[str, ...] = ()
    guard: str | None = None
    scope: str = "lead"  # which department may act: the lead (主办) or an assisting one (协办)


def _t(action: str, label: str, sources: set[str] | frozenset[str], target: str | None, roles: set[str],
       requires: tuple[str, ...] = (), guard: str | None = None, scope: str = "lead") -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), requires, guard, scope)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    _t("dispatch", "派单", {"已受理"}, "已派单", {STAFF, SYSTEM}, ("target_department",)),
    _t("redispatch", "重新派单", {"已派单", "已签收"}, "已派单", {STAFF}, ("target_department", "reason")),
    _t("return", "退单", {"已派单"}, "已受理", {DEPARTMENT}, ("reason",)),
    _t("sign", "签收", {"已派单"}, "已签收", {DEPARTMENT}),
    _t("request_extension", "申请延期", {"已签收"}, None, {DEPARTMENT}, ("reason", "requested_due_at"),
       "no_pending_extension"),
    _t("approve_extension", "同意延期", {"已签收"}, None, {STAFF, SUPERVISOR}, (), "pending_extension"),
    _t("refuse_extension", "不同意延期", {"已签收"}, None, {STAFF, SUPERVISOR}, ("reason",), "pending_extension"),
    _t("resolve", "办结", {"已签收"}, "已办结", {DEPARTMENT}, ("reply",)),
    _t("reply_directly", "直接答复", {"已受理"}, "已办结", {STAFF, SYSTEM}, ("reply",)),
    _t("follow_up", "回访", {"已办结"}, "已回访", {STAFF, RESIDENT, SYSTEM}, ("rating",)),
    # SYSTEM: the bot reopens on the resident's 不满意 (the guard still demands that rating).
    _t("reopen", "重办", {"已回访"}, "已派单", {STAFF, SUPERVISOR, SYSTEM}, ("reason",), "unsatisfied"),
    _t("archive", "归档", {"已办结", "已回访"}, "已归档", {STAFF, SYSTEM}),
    _t("merge", "合并", OPEN, "已合并", {STAFF}, ("parent_number",)),
    _t("escalate", "督办", {"已派单", "已签收"}, None, {STAFF, SUPERVISOR, SYSTEM}, ("reason",)),
    _t("supplement", "补充信息", OPEN, None, {RESIDENT, STAFF, SYSTEM}, ("note",)),
    _t("reclassify", "修改分类/紧急程度", OPEN, None, {STAFF}, (), "has_change"),
    _t("add_assist", "增加协办单位", {"已派单", "已签收"}, None, {STAFF}, ("target_department",)),
    _t("assist_opinion", "协办意见", {"已派单", "已签收"}, None, {DEPARTMENT}, ("note",), scope="assist"),
    _t("internal_note", "内部备注", OPEN | {"已办结", "已回访"}, None, {STAFF, SUPERVISOR}, ("note",)),
)}
# Hotline-only history entries: departments never see them (pages filter on this set).
INTERNAL_ACTIONS = frozenset({"internal_note"})

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
        who = ROLE_LABELS.get(command.role, command.role)
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
