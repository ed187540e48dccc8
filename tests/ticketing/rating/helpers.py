"""Shared steps for the rating tests: an answered ticket, and a link for it, on the app's database."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ticketing.core.timefmt import utcnow
from ticketing.models.tickets import Ticket
from ticketing.services.rating_links import issue_rating_link

PHONE = "13812345678"
REPLY = "已安排维修人员于12月3日更换路灯灯泡，现已恢复照明。"


def act(client: TestClient, number: str, action: str, role: str = "staff", **fields):  # type: ignore[no-untyped-def]
    return client.post(f"/api/tickets/{number}/transitions", json={"action": action, "role": role, **fields})


def answered(client: TestClient, reply: str = REPLY) -> str:
    """A ticket routed to a department, signed and resolved (办结) with ``reply``; returns its number."""
    response = client.post("/api/tickets", json={"description": "小区门口路灯坏了，晚上很黑", "contact_name": "张三",
                                                 "contact_phone": PHONE})
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["state"] == "已派单", ticket["state"]
    code = ticket["department"]["code"]
    for action, extra in (("sign", {}), ("resolve", {"reply": reply})):
        done = act(client, ticket["number"], action, "department", department=code, actor="王科长", **extra)
        assert done.status_code == 200, done.text
    return ticket["number"]


def link_for(app, number: str, now: datetime | None = None) -> str:  # type: ignore[no-untyped-def]
    """Issue the link as the notifier would (its own transaction); returns the path ``/r/<token>``."""
    with app.state.sessions() as session, session.begin():
        ticket = session.scalar(select(Ticket).where(Ticket.number == number))
        return issue_rating_link(session, ticket, now or utcnow())


def state(client: TestClient, number: str) -> dict:
    return client.get(f"/api/tickets/{number}").json()


def history(client: TestClient, number: str) -> list[dict]:
    return client.get(f"/api/tickets/{number}/history").json()["events"]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def age_answer(app, number: str, hours: float) -> None:  # type: ignore[no-untyped-def]
    """Move the ticket's 办结 time ``hours`` into the past (the 回访 list reads ``resolved_at``)."""
    with app.state.sessions() as session, session.begin():
        session.execute(update(Ticket).where(Ticket.number == number)
                        .values(resolved_at=utcnow() - timedelta(hours=hours)))
