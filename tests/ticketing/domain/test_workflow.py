"""The state machine without a database: the table, the guards, the history it writes."""
from datetime import datetime, timedelta, timezone

import pytest

from ticketing.models.tickets import Ticket
from ticketing.core.errors import TransitionError
from ticketing.domain.rules import default_rules
from ticketing.domain.workflow import TRANSITIONS, Command, allowed_actions, apply
from ticketing.domain.effects import EFFECTS, GUARDS, Context

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in Wuhan
DEPT = "urban-management"


def new_ticket(state: str = "已派单", department: str = DEPT) -> Ticket:
    ticket = Ticket(number="20261125-000001", state=state, kind="投诉", description="路灯坏了",
                    channel="web", priority="普通", deadline_policy="ordinary", department_code=department,
                    sign_due_at=NOW + timedelta(hours=4), resolve_due_at=NOW + timedelta(days=9),
                    created_at=NOW, updated_at=NOW, reopen_count=0, anonymous=False)
    ticket.events = []
    return ticket


def ctx(now: datetime = NOW, parent: Ticket | None = None) -> Context:
    return Context(default_rules(), now, parent)


def dept(action: str, **kw) -> Command:  # type: ignore[no-untyped-def]
    return Command(action=action, actor="王科长", role="department", department=DEPT, **kw)


def staff(action: str, **kw) -> Command:  # type: ignore[no-untyped-def]
    return Command(action=action, actor="李话务员", role="staff", **kw)


def test_table_is_complete() -> None:
    assert set(TRANSITIONS) == set(EFFECTS)
    assert all(t.guard in GUARDS for t in TRANSITIONS.values() if t.guard)
    assert all(t.label and t.roles and t.sources for t in TRANSITIONS.values())


def test_full_lifecycle_writes_one_event_per_step() -> None:
    t = new_ticket()
    steps = [dept("sign"), dept("resolve", reply="已修复路灯"), staff("follow_up", rating="满意"), staff("archive")]
    for command in steps:
        apply(t, command, ctx())
    assert t.state == "已归档" and t.reply == "已修复路灯" and t.rating == "满意"
    assert [(e.seq, e.action, e.from_state, e.to_state) for e in t.events] == [
        (1, "sign", "已派单", "已签收"), (2, "resolve", "已签收", "已办结"),
        (3, "follow_up", "已办结", "已回访"), (4, "archive", "已回访", "已归档")]
    assert all(e.actor and e.role and e.at == NOW for e in t.events)


def test_refused_transition_changes_nothing() -> None:
    t = new_ticket(state="已受理", department="hotline")
    with pytest.raises(TransitionError) as err:
        apply(t, staff("resolve", reply="x"), ctx())
    assert (err.value.status, err.value.code) == (403, "role_not_allowed")
    with pytest.raises(TransitionError) as err:
        apply(t, staff("archive"), ctx())
    assert err.value.code == "transition_not_allowed" and "已受理" in err.value.message
    assert t.state == "已受理" and t.events == []


def test_return_and_redispatch() -> None:
    t = new_ticket()
    with pytest.raises(TransitionError) as err:
        apply(t, dept("return"), ctx())
    assert err.value.code == "validation_error"
    apply(t, dept("return", reason="不属于本单位职责，应由供电公司处理"), ctx())
    assert t.state == "已受理" and t.department_code == "hotline"
    later = NOW + timedelta(hours=1)
    apply(t, staff("dispatch", target_department="power-supply"), ctx(later))
    assert t.state == "已派单" and t.department_code == "power-supply"
    assert t.sign_due_at > later
    assert t.events[0].reason.startswith("不属于")


def test_department_cannot_act_on_others_tickets() -> None:
    t = new_ticket()
    other = Command(action="sign", actor="x", role="department", department="water-supply")
    with pytest.raises(TransitionError) as err:
        apply(t, other, ctx())
    assert err.value.status == 403 and err.value.code == "not_your_ticket"


def test_extension_request_approve_and_refuse() -> None:
    t = new_ticket(state="已签收")
    new_due = t.resolve_due_at + timedelta(days=5)
    with pytest.raises(TransitionError):
        apply(t, staff("approve_extension"), ctx())  # nothing pending
    apply(t, dept("request_extension", reason="需协调多部门", requested_due_at=new_due), ctx())
    assert t.state == "已签收" and t.extension_due_at == new_due
    with pytest.raises(TransitionError):
        apply(t, dept("request_extension", reason="again", requested_due_at=new_due), ctx())
    apply(t, staff("approve_extension"), ctx())
    assert t.resolve_due_at == new_due and t.extension_due_at is None
    apply(t, dept("request_extension", reason="还要更久", requested_due_at=new_due + timedelta(days=9)), ctx())
    apply(t, staff("refuse_extension", reason="时限已延长过一次"), ctx())
    assert t.resolve_due_at == new_due and t.extension_due_at is None
    with pytest.raises(TransitionError):
        apply(t, dept("request_extension", reason="earlier", requested_due_at=NOW), ctx())


def test_reopen_only_after_unsatisfied_rating() -> None:
    t = new_ticket(state="已办结")
    t.reply = "已处理"
    apply(t, staff("follow_up", rating="满意"), ctx())
    with pytest.raises(TransitionError) as err:
        apply(t, staff("reopen", reason="市民要求"), ctx())
    assert "不满意" in err.value.message
    u = new_ticket(state="已办结")
    apply(u, staff("follow_up", rating="不满意", note="路灯还是不亮"), ctx())
    later = NOW + timedelta(days=2)
    apply(u, staff("reopen", reason="市民反映问题未解决"), ctx(later))
    assert u.state == "已派单" and u.reopen_count == 1 and u.rating is None
    assert u.resolve_due_at > later + timedelta(days=7)
    with pytest.raises(TransitionError):
        apply(u, staff("follow_up", rating="还行"), ctx())


def test_the_system_reopens_only_what_the_resident_rated_unsatisfied() -> None:
    bot = lambda action, **kw: Command(action=action, actor="智能助手", role="system", **kw)  # noqa: E731
    t = new_ticket(state="已办结")
    t.reply = "已处理"
    apply(t, bot("follow_up", rating="基本满意"), ctx())
    with pytest.raises(TransitionError):
        apply(t, bot("reopen", reason="市民不满意"), ctx())
    u = new_ticket(state="已办结")
    u.reply = "已处理"
    apply(u, bot("follow_up", rating="不满意"), ctx())
    apply(u, bot("reopen", reason="市民不满意：路灯还是不亮"), ctx())
    assert u.state == "已派单" and u.reopen_count == 1


def test_direct_reply_and_merge() -> None:
    t = new_ticket(state="已受理", department="hotline")
    apply(t, staff("reply_directly", reply="公积金提取可在线办理"), ctx())
    assert t.state == "已办结" and t.resolved_at == NOW
    parent, child = new_ticket(), new_ticket(state="已受理", department="hotline")
    parent.id, parent.number, child.id = 1, "20261125-000009", 2
    apply(child, staff("merge", parent_number=parent.number), ctx(parent=parent))
    assert child.state == "已合并" and child.merged_into == parent.number
    with pytest.raises(TransitionError):
        apply(parent, staff("merge", parent_number=parent.number), ctx(parent=parent))


def test_unknown_action_and_wrong_role() -> None:
    t = new_ticket()
    with pytest.raises(TransitionError) as err:
        apply(t, staff("teleport"), ctx())
    assert err.value.code == "unknown_action"
    with pytest.raises(TransitionError) as err:
        apply(t, Command(action="sign", actor="市民", role="resident"), ctx())
    assert err.value.code == "role_not_allowed" and err.value.status == 403


def test_allowed_actions_follow_the_table() -> None:
    actions = {t.action for t in allowed_actions(new_ticket(), role="department", department=DEPT)}
    assert actions == {"return", "sign"}
    assert {t.action for t in allowed_actions(new_ticket(state="已归档"))} == set()
