"""The 回访 list: who appears when, what a phone call records, and when a ticket leaves the list."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ticketing.core.timefmt import utcnow
from ticketing.domain.followup import FollowUpPolicy
from ticketing.models.accounts import AuditEntry
from ticketing.store.followup import followup_queue
from tests.ticketing.rating.helpers import act, age_answer, answered, csrf_of, history, state


@pytest.fixture()
def policy(app):  # type: ignore[no-untyped-def]
    """The shipped numbers (48 hours, 3 failed calls), set explicitly so the test says them."""
    app.state.followup = FollowUpPolicy(link_hours=168, queue_after_hours=48, max_unreachable=3)
    yield app.state.followup
    del app.state.followup


def listed(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["number"] for item in client.get("/api/followup").json()["items"]]


def call(client, number: str, **form):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(f"/staff/followup/{number}").text)
    return client.post(f"/staff/followup/{number}", data={"csrf": token, **form}, follow_redirects=False)


def test_unrated_answers_enter_the_list_after_the_wait(client, app, policy, make_ticket) -> None:
    fresh, old, rated = answered(client), answered(client), answered(client)
    make_ticket()  # still with the department: never listed
    no_phone = client.post("/api/tickets", json={"description": "请问居住证怎么办理", "kind": "咨询",
                                                 "direct_answer": "到派出所办理。"}).json()["number"]
    for number in (old, rated, no_phone):
        age_answer(app, number, 49)
    age_answer(app, fresh, 47)
    act(client, rated, "follow_up", "resident", rating="满意")
    assert listed(client) == [old]
    with app.state.sessions() as session:  # the same query, asked two hours later: the fresh one is due too
        entries, total = followup_queue(session, policy, utcnow() + timedelta(hours=2))
    assert [e.ticket.number for e in entries] == [old, fresh] and total == 2


def test_list_page_and_api_need_the_hotline(client, app, policy, sign_in) -> None:
    number = answered(client)
    age_answer(app, number, 72)
    item = client.get("/api/followup").json()["items"][0]
    assert item["number"] == number and item["contact_phone"] == "138****5678" and item["unreachable_attempts"] == 0
    anonymous = type(client)(app)
    assert anonymous.get("/api/followup").status_code == 401
    assert anonymous.get("/staff/followup", follow_redirects=False).status_code in (302, 303)
    code = state(client, number)["department"]["code"]
    del client.headers["Authorization"]  # from here on the session decides, not the integration token
    sign_in("dept_officer", code)
    assert client.get("/api/followup").status_code == 403
    assert client.get("/staff/followup").status_code == 403
    sign_in("operator")
    page = client.get("/staff/followup")
    assert page.status_code == 200 and number in page.text and "138****5678" in page.text
    assert 'href="/staff/followup"' in client.get("/staff/queue").text  # in the console's navigation


def test_phone_rating_goes_through_the_workflow_marked_as_phone_follow_up(client, app, policy, sign_in) -> None:
    number = answered(client)
    age_answer(app, number, 50)
    sign_in("operator")
    page = client.get(f"/staff/followup/{number}")
    assert page.status_code == 200 and "13812345678" in page.text  # in full on the call page …
    with app.state.sessions() as session:  # … and that view is audited
        assert session.scalar(select(AuditEntry).where(AuditEntry.ticket_number == number,
                                                       AuditEntry.action == "view_contact")) is not None
    done = call(client, number, outcome="rated", rating="基本满意", note="<em>还行</em>")
    assert done.status_code == 303 and done.headers["location"].startswith("/staff/followup?done=")
    ticket = state(client, number)
    assert (ticket["state"], ticket["rating"]) == ("已回访", "基本满意")
    last = history(client, number)[-1]
    assert last["action"] == "follow_up" and last["role"] == "staff" and last["actor"].endswith("（电话回访）")
    assert number not in listed(client)
    again = client.get(f"/staff/followup/{number}")
    assert "已评价" in again.text and "&lt;em&gt;还行&lt;/em&gt;" in again.text and "<em>还行</em>" not in again.text
    refused = call(client, number, outcome="rated", rating="不满意")
    assert refused.status_code == 409 and state(client, number)["rating"] == "基本满意"


def test_phone_unsatisfied_reopens(client, app, policy, sign_in) -> None:
    number = answered(client)
    age_answer(app, number, 50)
    sign_in("operator")
    assert call(client, number, outcome="rated", rating="不满意", note="路灯还是坏的").status_code == 303
    ticket = state(client, number)
    assert ticket["state"] == "已派单" and ticket["reopen_count"] == 1
    assert [e["action"] for e in history(client, number)[-2:]] == ["follow_up", "reopen"]


def test_unreachable_is_counted_and_the_ticket_leaves_after_three(client, app, policy, sign_in) -> None:
    number = answered(client)
    age_answer(app, number, 50)
    sign_in("operator")
    for attempt in (1, 2):
        assert call(client, number, outcome="unreachable", note="无人接听").status_code == 303
        item = client.get("/api/followup").json()["items"][0]
        assert item["number"] == number and item["unreachable_attempts"] == attempt and item["last_call_at"]
    assert "无法联系 2 次" in client.get("/staff/followup").text
    done = call(client, number, outcome="unreachable")
    assert "%E5%B7%B2%E7%A7%BB%E5%87%BA" in done.headers["location"]  # "已移出" in the flash
    assert listed(client) == []
    assert "已移出 1 件" in client.get("/staff/followup").text
    ticket = state(client, number)
    assert ticket["state"] == "已办结" and ticket["rating"] is None  # nothing invented: still unrated
    notes = [e["note"] for e in history(client, number) if e["action"] == "internal_note"]
    assert notes == ["电话回访：无法联系（第 1 次）；无人接听", "电话回访：无法联系（第 2 次）；无人接听",
                     "电话回访：无法联系（第 3 次）"]


def test_a_new_answer_starts_the_count_again(client, app, policy, sign_in) -> None:
    number = answered(client)
    age_answer(app, number, 50)
    sign_in("operator")
    for _ in range(3):
        call(client, number, outcome="unreachable")
    act(client, number, "follow_up", "resident", rating="不满意")
    act(client, number, "reopen", "system", reason="市民不满意")
    code = state(client, number)["department"]["code"]
    act(client, number, "sign", "department", department=code)
    act(client, number, "resolve", "department", department=code, reply="第二次答复")
    age_answer(app, number, 50)
    assert listed(client) == [number]
    assert client.get("/api/followup").json()["items"][0]["unreachable_attempts"] == 0


def test_bad_outcome_and_csrf_change_nothing(client, app, policy, sign_in) -> None:
    number = answered(client)
    age_answer(app, number, 50)
    sign_in("operator")
    assert call(client, number, outcome="rated", rating="很好").status_code == 422
    assert client.post(f"/staff/followup/{number}", data={"csrf": "x", "outcome": "unreachable"}).status_code == 403
    assert state(client, number)["rating"] is None
    assert client.get("/api/followup").json()["items"][0]["unreachable_attempts"] == 0
