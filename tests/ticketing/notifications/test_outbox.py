"""The outbox: every change a resident must hear about writes its notification in the change's own
transaction; a refused or rolled-back change writes nothing (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ticketing.services import outbox as outbox_service
from tests.ticketing.notifications.helpers import EMAIL, MOBILE, act, outbox, resolve


def test_creation_writes_received_with_number_due_and_unit(app, make_ticket) -> None:
    ticket = make_ticket(contact_channel="邮件", contact_email=EMAIL)
    events, notes = outbox(app, ticket["number"])
    assert [e.type for e in events] == ["ticket.created", "ticket.transitioned"]  # 受理 and the router's 派单
    assert [(n.kind, n.channel, n.state) for n in notes] == [("received", "email", "pending")]
    params = notes[0].params
    assert params["number"] == ticket["number"] and "年" in params["due"] and params["department"]
    assert events[0].payload["schema_version"] == 1 and events[0].payload["notice"] == "received"


def test_no_choice_or_none_means_events_but_no_messages(app, make_ticket) -> None:
    for fields in ({}, {"contact_channel": "不需要", "contact_phone": MOBILE}):
        ticket = make_ticket(**fields)
        events, notes = outbox(app, ticket["number"])
        assert events and not notes


def test_each_resident_facing_change_writes_its_notice(app, client, make_ticket) -> None:
    ticket = make_ticket(contact_channel="sms", contact_phone=MOBILE, anonymous=True)
    number, dept = ticket["number"], ticket["department"]["code"]
    act(client, number, action="redispatch", target_department="power-supply", reason="路灯归供电公司")
    act(client, number, action="sign", role="department", department="power-supply")
    due = (client.get(f"/api/tickets/{number}").json()["resolve_due_at"])
    from datetime import datetime
    later = (datetime.fromisoformat(due) + timedelta(days=3)).isoformat()
    act(client, number, action="request_extension", role="department", department="power-supply",
        reason="需采购配件", requested_due_at=later)
    act(client, number, action="approve_extension")
    act(client, number, action="resolve", role="department", department="power-supply", reply="已修复")
    act(client, number, action="follow_up", role="resident", rating="不满意")
    act(client, number, action="reopen", reason="市民不满意")
    other = make_ticket(description="路灯又坏了")
    act(client, number, action="merge", parent_number=other["number"])
    events, notes = outbox(app, number)
    assert [n.kind for n in notes] == ["received", "dispatched", "extended", "resolved", "reopened", "merged"]
    assert all(n.channel == "sms" for n in notes)
    by_kind = {n.kind: n.params for n in notes}
    assert "供电" in by_kind["dispatched"]["department"]
    assert by_kind["extended"]["due"] and by_kind["resolved"]["reply"] == "已修复"
    assert by_kind["resolved"]["link"].startswith("/r/")  # the one-tap rating link (rating helper)
    assert by_kind["merged"]["parent"] == other["number"]
    types = [e.type for e in events]
    assert "ticket.rated" in types and types.count("ticket.created") == 1
    assert not any(e.payload["transition"]["action"] in ("sign", "request_extension") and e.payload["notice"]
                   for e in events)


def test_refused_change_writes_nothing(app, client, make_ticket) -> None:
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    before = outbox(app, ticket["number"])
    refused = client.post(f"/api/tickets/{ticket['number']}/transitions",
                          json={"action": "resolve", "role": "department",
                                "department": ticket["department"]["code"], "reply": "x"})
    assert refused.status_code == 409
    after = outbox(app, ticket["number"])
    assert [len(x) for x in after] == [len(x) for x in before]


def test_change_rolled_back_after_the_outbox_write_leaves_no_row(app, client, make_ticket,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox rows were written, then the transaction failed: neither the change nor its message remain."""
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    number, dept = ticket["number"], ticket["department"]["code"]
    act(client, number, action="sign", role="department", department=dept)
    before = outbox(app, number)
    real = outbox_service.record

    def record_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        ids = real(*args, **kwargs)
        assert ids  # the row was really written inside the transaction
        raise RuntimeError("database went away before commit")

    monkeypatch.setattr(outbox_service, "record", record_then_fail)
    with pytest.raises(RuntimeError):
        client.post(f"/api/tickets/{number}/transitions",
                    json={"action": "resolve", "role": "department", "department": dept, "reply": "已修复"})
    monkeypatch.setattr(outbox_service, "record", real)
    assert [len(x) for x in outbox(app, number)] == [len(x) for x in before]
    assert client.get(f"/api/tickets/{number}").json()["state"] == "已签收"
    resolve_again = client.post(f"/api/tickets/{number}/transitions",
                                json={"action": "resolve", "role": "department", "department": dept, "reply": "已修复"})
    assert resolve_again.status_code == 200
    assert [n.kind for n in outbox(app, number)[1]] == ["received", "resolved"]


def test_public_event_carries_no_personal_data(app, make_ticket, client) -> None:
    ticket = make_ticket(contact_name="欧阳修文", contact_channel="sms", contact_phone=MOBILE, description="我家13900001111楼下路灯坏了")
    resolve(client, ticket, reply="已联系欧阳修文先生，路灯已修好")
    events, _ = outbox(app, ticket["number"])
    text = str([e.payload for e in events])
    for secret in (MOBILE, "欧阳", "13900001111", "路灯已修好", "楼下路灯"):
        assert secret not in text


def test_a_direct_answer_in_the_chat_sends_nothing(app, make_ticket) -> None:
    ticket = make_ticket(description="请问公积金怎么提取", kind="咨询", direct_answer="凭身份证到公积金中心办理。",
                         contact_channel="sms", contact_phone=MOBILE)
    events, notes = outbox(app, ticket["number"])
    assert [e.payload["transition"]["action"] for e in events] == ["create", "reply_directly"] and not notes
