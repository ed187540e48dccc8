"""Property tests of the state machine (over the real service layer on SQLite) and of deadlines.

The workflow machine files a few tickets, then hypothesis drives random actions by random roles and
departments with random fields through ``transitions.run_transition`` — the path the API and the
pages take. After every step: the state is one the table allows, a refused action changed nothing
(ticket row and history), an accepted one appended exactly one event, and replaying each ticket's
history from ``create`` gives its current state through rows of the table only.
"""
from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta
from typing import Any

os.environ.setdefault("YIJIAN_TEST_FAST_HASH", "1")

from hypothesis import HealthCheck, assume, given, settings, strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from ticketing.services import tickets as service

from ticketing.domain import workflow
from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.domain.deadlines import Limit, default_policy
from ticketing.store.schema import migrate
from ticketing.models.tickets import Ticket
from ticketing.core.errors import ApiError
from ticketing.domain.rules import default_rules
from ticketing.domain.new_ticket import TicketCreate
from ticketing.core.timefmt import CHINA_TZ, to_china
from ticketing.services.transitions import run_transition
from ticketing.domain.vocabulary import STATES

RULES = default_rules()
DEPARTMENTS = [d.code for d in RULES.directory.all()]
ROLES = ["staff", "department", "resident", "supervisor", "system"]
ACTIONS = sorted(workflow.TRANSITIONS) + ["no_such_action"]
START = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TZ)  # a Monday morning in China
TEXT = st.text(alphabet=st.sampled_from("路灯坏了噪音扰民请尽快处理<>&'\"{}%_\\ abc123"), max_size=30)
MAX_STEPS = int(os.environ.get("YIJIAN_PROPERTY_STEPS", "40"))


def _snapshot(ticket: Ticket) -> dict[str, Any]:
    """Every column and every event: what a refused action must leave untouched."""
    row = {c.key: getattr(ticket, c.key) for c in Ticket.__table__.columns}
    row["events"] = [(e.seq, e.action, e.from_state, e.to_state, e.note) for e in ticket.events]
    row["assists"] = sorted(ticket.assist_codes)
    return row


def _replay(events: list[Any]) -> str | None:
    """The state after the events, checking each step against the transition table."""
    state: str | None = None
    for index, event in enumerate(events, start=1):
        assert event.seq == index, f"history seq has a gap: {[e.seq for e in events]}"
        if event.action == "create":
            assert index == 1 and event.to_state == "已受理"
            state = "已受理"
            continue
        row = workflow.TRANSITIONS[event.action]
        assert event.from_state == state, f"{event.action} recorded from {event.from_state}, replay is at {state}"
        assert state in row.sources, f"{event.action} is not allowed from {state}"
        expected = {row.target} if row.target else {state}
        if event.action == "reopen":
            expected = {"已受理", "已派单"}
        assert event.to_state in expected, f"{event.action}: {state} -> {event.to_state}, table says {expected}"
        state = event.to_state
    return state


class WorkflowMachine(RuleBasedStateMachine):
    """Random actions on a handful of real tickets in a real SQLite database."""

    tickets = Bundle("tickets")

    def __init__(self) -> None:
        super().__init__()
        folder = tempfile.mkdtemp(prefix="yijian-wf-")
        url = f"sqlite:///{folder}/tickets.db"
        migrate(url)
        self.engine = make_engine(url)
        self.factory = make_sessionmaker(self.engine)
        self.now = START

    def teardown(self) -> None:
        self.engine.dispose()

    @initialize(target=tickets, descriptions=st.lists(
        st.sampled_from(["小区门口路灯坏了", "楼下餐馆油烟太大", "咨询社保卡怎么办理", "自来水停水三天了",
                         "有人在路边烧垃圾", "楼上装修噪音"]), min_size=3, max_size=3))
    def file_tickets(self, descriptions: list[str]) -> Any:
        from hypothesis.stateful import multiple

        numbers = []
        for index, text in enumerate(descriptions):
            body = TicketCreate(description=text, kind="咨询" if "咨询" in text else "投诉",
                                contact_phone="13800001234", urgent=index == 2)
            numbers.append(service.create_ticket(self.factory, data=body, rules=RULES, now=self.now).ticket.number)
        return multiple(*numbers)

    def _load(self, number: str) -> Ticket:
        with self.factory() as session:
            ticket = session.scalar(select(Ticket).where(Ticket.number == number))
            assert ticket is not None
            _ = ticket.events, ticket.assists  # load before the session closes
            return ticket

    @rule(number=tickets, parent=tickets, action=st.sampled_from(ACTIONS), role=st.sampled_from(ROLES),
          department=st.one_of(st.none(), st.sampled_from(DEPARTMENTS)),
          to_unit=st.one_of(st.none(), st.sampled_from(DEPARTMENTS + ["no-such-unit"])),
          reason=st.one_of(st.none(), TEXT), note=st.one_of(st.none(), TEXT), reply=st.one_of(st.none(), TEXT),
          rating=st.one_of(st.none(), st.sampled_from(["满意", "基本满意", "不满意", "还行"])),
          extra_days=st.integers(-3, 30), urgent=st.one_of(st.none(), st.booleans()),
          category=st.one_of(st.none(), st.lists(st.sampled_from(["城乡建设", "城市建设和市政管理", "路灯"]),
                                                   max_size=4).map(tuple)),
          minutes=st.integers(0, 60 * 30), use_own_department=st.booleans())
    def act(self, number: str, parent: str, action: str, role: str, department: str | None, to_unit: str | None,
            reason: str | None, note: str | None, reply: str | None, rating: str | None, extra_days: int,
            urgent: bool | None, category: tuple[str, ...] | None, minutes: int, use_own_department: bool) -> None:
        """One random action by a random actor; the outcome must match the table either way."""
        self.now += timedelta(minutes=minutes)
        before = self._load(number)
        if use_own_department and role == "department":  # most real department actions are on their own tickets
            department = before.department_code
        command = workflow.Command(
            action=action, actor="测试", role=role, department=department, reason=reason or None,
            note=note or None, reply=reply or None, target_department=to_unit, rating=rating,
            requested_due_at=before.resolve_due_at + timedelta(days=extra_days), parent_number=parent,
            category=category, urgent=urgent)
        self._check(number, before, command)

    @rule(number=tickets, parent=tickets, data=st.data())
    def act_by_the_book(self, number: str, parent: str, data: st.DataObject) -> None:
        """An action the table offers now, by a role it names, with its required fields: drives tickets
        deep into the workflow (resolve, follow-up, reopen, archive), where random actions rarely get."""
        before = self._load(number)
        offered = workflow.allowed_actions(before)
        assume(offered)
        forward = [r for r in offered if (r.target and r.action not in ("redispatch", "merge"))
                   or r.action in ("request_extension", "approve_extension", "refuse_extension", "assist_opinion")]
        pool = forward if forward and data.draw(st.integers(0, 4), label="forward") else offered
        row = data.draw(st.sampled_from(pool), label="row")
        role = data.draw(st.sampled_from(sorted(row.roles)), label="role")
        department = (next(iter(before.assist_codes), None) if row.scope == "assist" else before.department_code)
        others = [d for d in DEPARTMENTS if d not in (before.department_code, RULES.router.default)]
        self.now += timedelta(minutes=data.draw(st.integers(0, 60 * 30), label="minutes"))
        command = workflow.Command(
            action=row.action, actor="测试", role=role, department=department, reason="原因", note="补充",
            reply="已处理完毕", target_department=data.draw(st.sampled_from(others), label="unit"),
            rating=data.draw(st.sampled_from(["满意", "不满意"]), label="rating"),
            requested_due_at=before.resolve_due_at + timedelta(days=3), parent_number=parent,
            category=("城乡建设",), urgent=True)
        self._check(number, before, command)

    def _check(self, number: str, before: Ticket, command: workflow.Command) -> None:
        snapshot = _snapshot(before)
        try:
            ticket, event = run_transition(self.factory, number=number, command=command, rules=RULES, now=self.now)
        except ApiError as refusal:
            assert 400 <= refusal.status < 500 and refusal.message, refusal
            assert _snapshot(self._load(number)) == snapshot, f"refused {command.action} changed the ticket"
            return
        after = self._load(number)
        row = workflow.TRANSITIONS[command.action]
        assert before.state in row.sources and command.role in row.roles
        assert len(after.events) == len(before.events) + 1
        assert (event.from_state, event.to_state) == (before.state, after.state)
        if row.target and command.action != "reopen":
            assert after.state == row.target
        elif not row.target:
            assert after.state == before.state

    @invariant()
    def states_are_in_the_table_and_history_replays(self) -> None:
        with self.factory() as session:
            for ticket in session.scalars(select(Ticket)):
                assert ticket.state in STATES
                assert _replay(sorted(ticket.events, key=lambda e: e.seq)) == ticket.state
                if ticket.state in ("已办结", "已回访", "已归档") and ticket.events[-1].action != "merge":
                    assert ticket.reply, "a resolved ticket has no reply"
                if ticket.state == "已合并":
                    assert ticket.merged_into and ticket.merged_into != ticket.number


WorkflowMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("YIJIAN_PROPERTY_EXAMPLES", "40")), stateful_step_count=MAX_STEPS,
    deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
TestWorkflowMachine = WorkflowMachine.TestCase


# --- deadlines --------------------------------------------------------------------------------------------

POLICY = default_policy()
SCHEDULE = POLICY.schedule
CALENDAR = POLICY.calendar
MOMENTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31),
                       timezones=st.just(CHINA_TZ))
DAYS = st.integers(min_value=0, max_value=40)
QUARTER_HOURS = st.integers(min_value=0, max_value=4 * 80).map(lambda q: q / 4)
FAST = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def _in_working_time(moment: datetime) -> bool:
    local = to_china(moment)
    if not CALENDAR.is_working_day(local.date()):
        return False
    return any(datetime.combine(local.date(), a, CHINA_TZ) <= local <= datetime.combine(local.date(), b, CHINA_TZ)
               for a, b in SCHEDULE.intervals)


@FAST
@given(start=MOMENTS, days=DAYS)
def test_working_days_due_is_after_start_at_the_end_of_a_working_day(start: datetime, days: int) -> None:
    due = SCHEDULE.add_working_days(start, days)
    assert due >= start or days == 0
    if days > 0:
        local = to_china(due)
        assert CALENDAR.is_working_day(local.date()) and local.time() == SCHEDULE.intervals[-1][1]
        assert local.date() > to_china(start).date()


@FAST
@given(start=MOMENTS, n=DAYS, m=DAYS)
def test_working_days_add_up(start: datetime, n: int, m: int) -> None:
    assume(n > 0)
    assert SCHEDULE.add_working_days(SCHEDULE.add_working_days(start, n), m) == SCHEDULE.add_working_days(start, n + m)


@FAST
@given(a=MOMENTS, b=MOMENTS, n=DAYS, m=DAYS)
def test_working_days_are_monotonic_in_start_and_in_days(a: datetime, b: datetime, n: int, m: int) -> None:
    first, later = sorted((a, b))
    assert SCHEDULE.add_working_days(first, n) <= SCHEDULE.add_working_days(later, n)
    fewer, more = sorted((n, m))
    assert SCHEDULE.add_working_days(a, fewer) <= SCHEDULE.add_working_days(a, more)


@FAST
@given(start=MOMENTS, hours=QUARTER_HOURS)
def test_working_hours_due_is_inside_working_time(start: datetime, hours: float) -> None:
    due = SCHEDULE.add_working_hours(start, hours)
    assert due >= start
    if hours > 0:
        assert _in_working_time(due), f"{start} + {hours} working hours = {to_china(due)}"


@FAST
@given(start=MOMENTS, a=QUARTER_HOURS, b=QUARTER_HOURS)
def test_working_hours_add_up(start: datetime, a: float, b: float) -> None:
    assume(a > 0)
    assert SCHEDULE.add_working_hours(SCHEDULE.add_working_hours(start, a), b) == SCHEDULE.add_working_hours(start, a + b)


@FAST
@given(x=MOMENTS, y=MOMENTS, a=QUARTER_HOURS, b=QUARTER_HOURS)
def test_working_hours_are_monotonic(x: datetime, y: datetime, a: float, b: float) -> None:
    first, later = sorted((x, y))
    assert SCHEDULE.add_working_hours(first, a) <= SCHEDULE.add_working_hours(later, a)
    less, more = sorted((a, b))
    assert SCHEDULE.add_working_hours(x, less) <= SCHEDULE.add_working_hours(x, more)


@FAST
@given(start=MOMENTS, policy=st.sampled_from(sorted(POLICY.policies)))
def test_every_policy_signs_before_it_resolves_and_warns_in_between(start: datetime, policy: str) -> None:
    due = POLICY.compute(start, policy)
    assert start <= due.sign_due_at <= due.resolve_due_at
    assert start <= POLICY.warning_time(start, due.resolve_due_at) <= due.resolve_due_at


@FAST
@given(start=MOMENTS, unit=st.sampled_from(["hours", "working_hours", "working_days"]), amount=st.integers(0, 30))
def test_every_limit_unit_is_monotonic_in_start(start: datetime, unit: str, amount: int) -> None:
    limit = Limit(unit, float(amount))
    assert SCHEDULE.apply(start, limit) <= SCHEDULE.apply(start + timedelta(minutes=37), limit)
