"""A demo ticket's life through the real state machine, at simulated times up to "now".

Every step is ``workflow.apply`` with the step's time as the clock, so deadlines, history and
refusals are exactly what live use would produce. A step due after "now" is not taken: the
ticket stays open there, which is how the demo gets its open, warning and overdue tickets.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ticketing.core.errors import TransitionError
from ticketing.domain import workflow
from ticketing.domain.effects import Context
from ticketing.domain.rules import Rules
from ticketing.domain.vocabulary import (DEPARTMENT, RATINGS, RECEIVED, RESIDENT, STAFF, SYSTEM, UNSATISFIED,
                                         WITH_DEPARTMENT)
from ticketing.domain.workflow import Command
from ticketing.models.tickets import Ticket

REPLIES = ("经现场核查，已安排人员处理完毕，感谢您的监督。",
           "已联系相关责任单位整改，后续将加强日常巡查。",
           "您反映的问题已转交属地街道，已于近日处理到位。",
           "经核实，相关政策规定如下，已电话向您解释说明。")
RATING_WEIGHTS = (70, 18, 12)  # per rating, in the order of ``RATINGS``


@dataclass
class Life:
    """Randomness, rules and the simulated present for one seeding run."""

    rng: random.Random
    rules: Rules
    now: datetime

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))


def step(ticket: Ticket, life: Life, at: datetime, action: str, role: str, parent: Ticket | None = None,
         **fields: Any) -> bool:
    """Apply one action at ``at``; False (and nothing changed) when it is in the future or refused."""
    if at > life.now:
        return False
    department = ticket.department_code if role == DEPARTMENT else None
    actor = {DEPARTMENT: "承办人", STAFF: "热线话务员", RESIDENT: "市民", SYSTEM: "系统"}[role]
    try:
        workflow.apply(ticket, Command(action=action, actor=actor, role=role, department=department, **fields),
                       Context(life.rules, at, parent))
    except TransitionError:
        return False
    return True


def _local_department(ticket: Ticket, life: Life) -> str:
    local = life.rules.directory.for_district(ticket.district or "")
    return local.code if local else "urban-management"


def live(ticket: Ticket, life: Life, parent: Ticket | None = None) -> None:
    """Take the ticket as far as its simulated life reaches before "now"."""
    at = ticket.created_at
    if parent is not None and life.rng.random() < 0.4:
        merged_at = at + life.hours(0.5, 4)
        if step(ticket, life, merged_at, "merge", STAFF, parent, parent_number=parent.number):
            if parent.id is None:  # parent is in the same unsaved batch: link the objects
                ticket.parent = parent
            return
    if ticket.state == RECEIVED:
        at += life.hours(0.2, 6)
        if not step(ticket, life, at, "dispatch", STAFF, target_department=_local_department(ticket, life)):
            return
    for _ in range(2):
        at = _cycle(ticket, life, at)
        if at is None:
            break
    _escalate_if_overdue(ticket, life)


def _cycle(ticket: Ticket, life: Life, dispatched: datetime) -> datetime | None:
    """Sign, maybe ask for more time, resolve, get rated, maybe reopen (returns when), else archive."""
    rng = life.rng
    at = _maybe_return(ticket, life, dispatched)
    if at is None:
        return None
    allowed = ticket.sign_due_at - at
    at += allowed * (rng.uniform(0.1, 0.9) if rng.random() < 0.85 else rng.uniform(1.1, 3.0))
    if not step(ticket, life, at, "sign", DEPARTMENT):
        return None
    at = _maybe_extend(ticket, life, at)
    window = ticket.resolve_due_at - at
    late = rng.random() < 0.15
    at += window * (rng.uniform(1.05, 1.8) if late else rng.uniform(0.2, 0.97)) + timedelta(minutes=10)
    if not step(ticket, life, at, "resolve", DEPARTMENT, reply=rng.choice(REPLIES)):
        return None
    if rng.random() < 0.8:
        at += life.hours(4, 72)
        rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
        if not step(ticket, life, at, "follow_up", RESIDENT, rating=rating):
            return None
        if rating == UNSATISFIED and ticket.reopen_count == 0 and rng.random() < 0.5:
            at += life.hours(1, 24)
            if step(ticket, life, at, "reopen", STAFF, reason="市民不满意，重新办理"):
                return at
    if rng.random() < 0.75:
        step(ticket, life, at + timedelta(days=rng.uniform(1, 7)), "archive", SYSTEM)
    return None


def _maybe_return(ticket: Ticket, life: Life, at: datetime) -> datetime | None:
    """One ticket in twenty is returned as misrouted and dispatched again by the hotline."""
    if life.rng.random() >= 0.05:
        return at
    at += life.hours(0.5, 3)
    if not step(ticket, life, at, "return", DEPARTMENT, reason="不属于本单位职责范围"):
        return at
    at += life.hours(0.5, 4)
    target = "urban-management" if ticket.district is None else _local_department(ticket, life)
    return at if step(ticket, life, at, "dispatch", STAFF, target_department=target) else None


def _maybe_extend(ticket: Ticket, life: Life, at: datetime) -> datetime:
    """Some departments ask for more time; most requests are approved."""
    if life.rng.random() >= 0.06:
        return at
    at += (ticket.resolve_due_at - at) / 2
    wanted = ticket.resolve_due_at + timedelta(days=5)
    if step(ticket, life, at, "request_extension", DEPARTMENT, reason="需协调多个部门现场处理", requested_due_at=wanted):
        at += life.hours(2, 20)
        if life.rng.random() < 0.7:
            step(ticket, life, at, "approve_extension", STAFF)
        else:
            step(ticket, life, at, "refuse_extension", STAFF, reason="可在原时限内办理")
    return at


def _escalate_if_overdue(ticket: Ticket, life: Life) -> None:
    """A ticket a department holds past its deadline is escalated (督办) an hour later, as the job does."""
    if ticket.state in WITH_DEPARTMENT:
        step(ticket, life, ticket.resolve_due_at + timedelta(hours=1), "escalate", SYSTEM, reason="超期未办结，系统督办")
