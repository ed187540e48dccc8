"""Danger to life flags a ticket urgent (the `emergency` package reads it, tests/emergency measure it);
overdue tickets get exactly one automatic 督办."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from ticketing.domain.classify import default_classifier
from ticketing.services.escalation import escalate_overdue
from ticketing.models.tickets import Ticket
from ticketing.domain.rules import default_rules


@pytest.mark.parametrize(("text", "number"), [
    ("楼道里燃气泄漏了，味道很大", "119"), ("对面楼着火了，有浓烟", "119"), ("路边有位老人晕倒了", "120"),
    ("有人持刀在小区里闹事", "110"), ("路口发生车祸，两车相撞", "122"),
    # wordings the old keyword list missed (issue 15)
    ("楼梯间一股冲鼻子的煤气味，好像哪家漏气了", "119"), ("一根电线断了垂在路边，还在噼里啪啦冒火花", "119"),
])
def test_emergency_words(text: str, number: str) -> None:
    found = default_classifier().emergency(text)
    assert found is not None and found.number == number and found.matched and found.numbers[0] == number


@pytest.mark.parametrize("text", ["路灯坏了", "燃气费怎么交", "噪音扰民", "", "消防通道被电动车堵了"])
def test_no_emergency(text: str) -> None:
    assert default_classifier().emergency(text) is None


def test_emergency_ticket_is_urgent_and_says_whom_to_call(client) -> None:
    ticket = client.post("/api/tickets", json={"description": "厨房里一股冲鼻子的煤气味，好像漏气了"}).json()
    assert ticket["priority"] == "紧急" and ticket["emergency_number"] == "119"
    created = datetime.fromisoformat(ticket["created_at"])
    assert datetime.fromisoformat(ticket["resolve_due_at"]) - created <= timedelta(hours=2, seconds=1)
    note = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"][0]["note"]
    assert "119" in note
    plain = client.post("/api/tickets", json={"description": "路灯坏了"}).json()
    assert plain["priority"] == "普通" and plain["emergency_number"] is None


def test_escalation_once_per_deadline(client, make_ticket, app) -> None:
    late, fine = make_ticket(), make_ticket()
    factory, rules = app.state.sessions, default_rules()
    with factory() as session, session.begin():
        ticket = session.scalar(select(Ticket).where(Ticket.number == late["number"]))
        ticket.resolve_due_at = datetime.now(timezone.utc) - timedelta(hours=3)
    assert escalate_overdue(factory, rules) == [late["number"]]
    assert escalate_overdue(factory, rules) == []
    events = client.get(f"/api/tickets/{late['number']}/history").json()["events"]
    assert events[-1]["action"] == "escalate" and events[-1]["role"] == "system" and "超过办结时限" in events[-1]["reason"]
    assert [e["action"] for e in client.get(f"/api/tickets/{fine['number']}/history").json()["events"]] == [
        "create", "dispatch"]
