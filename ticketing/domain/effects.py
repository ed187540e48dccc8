"""What each workflow action does to a ticket, and the extra checks (guards) some need.

Kept apart from the transition table so the table stays one readable screen.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from ticketing.core.errors import TransitionError
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import (CLOSED_FOR_MERGING, DISPATCHED, PRIORITY_NORMAL, PRIORITY_URGENT, RATINGS,
                                         RECEIVED, UNSATISFIED)
from ticketing.models.tickets import Ticket, TicketAssist


@dataclass(frozen=True)
class Context:
    """What effects may need besides the command: rules, the clock, a loaded parent ticket."""

    rules: Rules
    now: datetime
    parent: Optional[Ticket] = None


@dataclass(frozen=True)
class Outcome:
    """An effect's result: an optional different target state, a note and data for the event."""

    target: str | None = None
    note: str | None = None
    data: dict[str, Any] | None = None


def _refuse(message: str, code: str = "transition_not_allowed", status: int = 409) -> TransitionError:
    return TransitionError(status, code, message)


def _set_department(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    code = cmd.target_department
    directory = ctx.rules.directory
    if code not in directory or code == ctx.rules.router.default:
        raise _refuse(f"未知的承办单位：{str(code)[:40]}。", "unknown_department", 422)
    if code == ticket.department_code and ticket.state != RECEIVED:
        raise _refuse("新承办单位与当前承办单位相同。")
    previous = ticket.department_code
    ticket.department_code = code
    ticket.signed_at = None
    ticket.sign_due_at = ctx.rules.deadlines.sign_due(ctx.now, ticket.deadline_policy)
    return Outcome(note=f"派至{directory.get(code).name}", data={"from_department": previous, "department": code})


def _return(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    previous = ticket.department_code
    ticket.department_code = ctx.rules.router.default
    return Outcome(data={"from_department": previous})


def _sign(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    ticket.signed_at = ctx.now
    return Outcome()


def _request_extension(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    wanted: datetime = cmd.requested_due_at
    if wanted <= ticket.resolve_due_at:
        raise _refuse("申请的新办结时间必须晚于当前办结时限。", "validation_error", 422)
    ticket.extension_due_at = wanted
    return Outcome(data={"requested_due_at": wanted.isoformat(), "current_due_at": ticket.resolve_due_at.isoformat()})


def _approve_extension(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    assert ticket.extension_due_at is not None
    old, ticket.resolve_due_at = ticket.resolve_due_at, ticket.extension_due_at
    ticket.extension_due_at = None
    _rewarn(ticket, ctx)
    return Outcome(data={"old_due_at": old.isoformat(), "new_due_at": ticket.resolve_due_at.isoformat()})


def _refuse_extension(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    requested = ticket.extension_due_at
    ticket.extension_due_at = None
    return Outcome(data={"refused_due_at": requested.isoformat() if requested else None})


def _resolve(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    ticket.reply = cmd.reply
    ticket.resolved_at = ctx.now
    ticket.extension_due_at = None
    return Outcome(note=cmd.reply, data={"on_time": ctx.now <= ticket.resolve_due_at})


def _follow_up(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    if cmd.rating not in RATINGS:
        raise _refuse(f"满意度只能是：{'、'.join(RATINGS)}。", "validation_error", 422)
    ticket.rating = cmd.rating
    return Outcome(note=f"满意度：{cmd.rating}" + (f"；{cmd.note}" if cmd.note else ""), data={"rating": cmd.rating})


def _reopen(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    ticket.reopen_count += 1
    ticket.rating = ticket.reply = ticket.signed_at = ticket.resolved_at = None
    due = ctx.rules.deadlines.compute(ctx.now, ticket.deadline_policy)
    ticket.sign_due_at, ticket.resolve_due_at = due.sign_due_at, due.resolve_due_at
    _rewarn(ticket, ctx)
    target = RECEIVED if ticket.department_code == ctx.rules.router.default else DISPATCHED
    return Outcome(target=target, data={"reopen_count": ticket.reopen_count})


def _archive(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    ticket.closed_at = ctx.now
    return Outcome()


def _merge(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    parent = ctx.parent
    if parent is None:
        raise _refuse(f"未找到主工单 {str(cmd.parent_number)[:40]}。", "ticket_not_found", 404)
    if parent.id == ticket.id:
        raise _refuse("不能把工单合并到它自己。")
    if parent.state in CLOSED_FOR_MERGING:
        raise _refuse(f"主工单状态为“{parent.state}”，不能作为合并目标。")
    ticket.parent_id = parent.id
    ticket.merged_into = parent.number
    ticket.closed_at = ctx.now
    return Outcome(note=f"合并至主工单 {parent.number}", data={"parent": parent.number})


def _add_assist(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    code = cmd.target_department
    if code not in ctx.rules.directory or code == ctx.rules.router.default:
        raise _refuse(f"未知的承办单位：{str(code)[:40]}。", "unknown_department", 422)
    if code == ticket.department_code or code in ticket.assist_codes:
        raise _refuse("该单位已经是本工单的主办或协办单位。")
    ticket.assists.append(TicketAssist(department_code=code, added_at=ctx.now))
    return Outcome(note=f"增加协办单位：{ctx.rules.directory.get(code).name}", data={"department": code})


def _reclassify(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    """Staff correct the category and/or urgency; deadlines follow the new policy from receipt time."""
    before = {"category": ticket.category, "priority": ticket.priority}
    if cmd.category is not None:
        levels = list(cmd.category)[:3] + [None, None, None]
        ticket.category_l1, ticket.category_l2, ticket.category_l3 = levels[:3]
        ticket.category_source = "staff"
    if cmd.urgent is not None:
        ticket.priority = PRIORITY_URGENT if cmd.urgent else PRIORITY_NORMAL
    urgent = ticket.priority == PRIORITY_URGENT
    policy = ctx.rules.deadlines.select(kind=ticket.kind, category=ticket.category, urgent=urgent)
    if policy != ticket.deadline_policy:
        due = ctx.rules.deadlines.compute(ticket.created_at, policy)
        ticket.deadline_policy, ticket.sign_due_at, ticket.resolve_due_at = policy, due.sign_due_at, due.resolve_due_at
        _rewarn(ticket, ctx)
    after = {"category": ticket.category, "priority": ticket.priority, "deadline_policy": ticket.deadline_policy}
    note = f"分类：{' › '.join(ticket.category) or '未分类'}；紧急程度：{ticket.priority}"
    return Outcome(note=note, data={"before": before, "after": after})


def _record_only(ticket: Ticket, cmd: Any, ctx: Context) -> Outcome:
    return Outcome()


def _rewarn(ticket: Ticket, ctx: Context) -> None:
    ticket.warn_at = ctx.rules.deadlines.warning_time(ctx.now, ticket.resolve_due_at)


EFFECTS: dict[str, Callable[[Ticket, Any, Context], Outcome]] = {
    "dispatch": _set_department, "redispatch": _set_department, "return": _return, "sign": _sign,
    "request_extension": _request_extension, "approve_extension": _approve_extension,
    "refuse_extension": _refuse_extension, "resolve": _resolve, "reply_directly": _resolve,
    "follow_up": _follow_up, "reopen": _reopen, "archive": _archive, "merge": _merge,
    "escalate": _record_only, "supplement": _record_only, "add_assist": _add_assist,
    "assist_opinion": _record_only, "reclassify": _reclassify, "internal_note": _record_only,
}


def _pending(ticket: Ticket, cmd: Any, ctx: Context) -> None:
    if ticket.extension_due_at is None:
        raise _refuse("该工单没有待审批的延期申请。")


def _no_pending(ticket: Ticket, cmd: Any, ctx: Context) -> None:
    if ticket.extension_due_at is not None:
        raise _refuse("已有一项延期申请正在审批中。")


def _unsatisfied(ticket: Ticket, cmd: Any, ctx: Context) -> None:
    if ticket.rating != UNSATISFIED:
        raise _refuse(f"只有市民评价为“{UNSATISFIED}”的工单才能重办。")


def _has_change(ticket: Ticket, cmd: Any, ctx: Context) -> None:
    if cmd is None:  # asked before a command exists (listing actions): always offered
        return
    if cmd.category is None and cmd.urgent is None:
        raise _refuse("请填写新的分类或紧急程度。", "validation_error", 422)
    if cmd.category is not None and not 1 <= len(cmd.category) <= 3:
        raise _refuse("分类应为 1 至 3 级。", "validation_error", 422)


GUARDS: dict[str, Callable[[Ticket, Any, Context], None]] = {
    "pending_extension": _pending, "no_pending_extension": _no_pending, "unsatisfied": _unsatisfied,
    "has_change": _has_change,
}
