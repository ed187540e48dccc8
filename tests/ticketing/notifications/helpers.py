"""Small helpers shared by the notification tests: act on a ticket, read the outbox."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ticketing.models.notifications import Notification, OutboxEvent
from ticketing.models.tickets import Ticket

EMAIL = "zhangsan@example.com"
MOBILE = "13812345678"
LAMP = "小区门口路灯坏了，晚上很黑"


def act(client, number: str, **body: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.post(f"/api/tickets/{number}/transitions", json=body)
    assert response.status_code == 200, response.text
    return response.json()["ticket"]


def resolve(client, ticket: dict[str, Any], reply: str = "已派人更换灯泡，今晚恢复照明。") -> None:  # type: ignore[no-untyped-def]
    dept = ticket["department"]["code"]
    act(client, ticket["number"], action="sign", role="department", department=dept)
    act(client, ticket["number"], action="resolve", role="department", department=dept, reply=reply)


def outbox(app, number: str) -> tuple[list[OutboxEvent], list[Notification]]:  # type: ignore[no-untyped-def]
    with app.state.sessions() as db:
        ticket_id = db.scalar(select(Ticket.id).where(Ticket.number == number))
        events = list(db.scalars(select(OutboxEvent).where(OutboxEvent.ticket_id == ticket_id).order_by(OutboxEvent.id)))
        notes = list(db.scalars(select(Notification).where(Notification.ticket_id == ticket_id).order_by(Notification.id)))
        return events, notes
