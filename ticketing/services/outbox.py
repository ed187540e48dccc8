"""The transactional outbox: the events and resident notifications of a change, written by the change.

``record`` runs inside the caller's transaction (ticket creation, every workflow action), so a change
that commits always has its rows and one that rolls back has none (tests/ticketing/notifications/).
The relay and the notifier (``ticketing.notifications``) read these rows afterwards.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ticketing.domain import notices
from ticketing.domain.contact import address_hash, recipient
from ticketing.domain.departments import Directory
from ticketing.models.notifications import PENDING, SUPPRESSED, ContactOptOut, Notification, OutboxEvent
from ticketing.models.tickets import Ticket, TicketEvent
from ticketing.services.rating_links import issue_rating_link

log = logging.getLogger(__name__)
_OUTBOX = insert(OutboxEvent.__table__).returning(OutboxEvent.__table__.c.id)
_OUTBOX_MANY = insert(OutboxEvent.__table__).returning(OutboxEvent.__table__.c.id, sort_by_parameter_order=True)
_NOTIFICATION = insert(Notification.__table__)



def record(session: Session, ticket: Ticket, events: Sequence[TicketEvent], directory: Directory,
           now: datetime, *, at_creation: bool = False) -> list[int]:
    """Write the outbox rows (and notifications) for ``events``; returns the new outbox ids.

    All of a change's events go in one INSERT (creation writes two: 受理 and the router's 派单)."""
    items = notices.outgoing(ticket, list(events), directory, at_creation=at_creation)
    if not items:
        return []
    rows = [{"event_id": item.payload["event_id"], "type": item.event_type, "routing_key": item.routing_key,
             "ticket_id": ticket.id, "payload": item.payload, "created_at": now} for item in items]
    if len(rows) == 1:
        ids = [session.execute(_OUTBOX, rows[0]).scalar_one()]
    else:
        ids = list(session.execute(_OUTBOX_MANY, rows).scalars())
    for item, outbox_id in zip(items, ids):
        if item.notice:
            _notification(session, ticket, outbox_id, item, now)
    return ids


def _notification(session: Session, ticket: Ticket, outbox_id: int, item: notices.Outgoing, now: datetime) -> None:
    channel = ticket.contact_channel or ""
    params: dict[str, Any] = dict(item.params)
    if item.notice == "resolved":
        params["link"] = _rating_link(session, ticket, now)
    state = SUPPRESSED if opted_out(session, channel, recipient(channel, ticket.contact_phone,
                                                                ticket.contact_email)) else PENDING
    session.execute(_NOTIFICATION, {
        "outbox_id": outbox_id, "ticket_id": ticket.id, "kind": item.notice, "channel": channel,
        "params": params, "state": state, "attempts": 0, "next_attempt_at": now, "created_at": now,
        "last_error": "市民已退订" if state == SUPPRESSED else None})


def _rating_link(session: Session, ticket: Ticket, now: datetime) -> str:
    """The path of the one-tap rating link ('' when the ticket has no answer to rate)."""
    try:
        return issue_rating_link(session, ticket, now)
    except ValueError:
        log.warning("no rating link for ticket %s", ticket.number)
        return ""


def opted_out(session: Session, channel: str, address: str | None) -> bool:
    if not address:
        return False
    key = address_hash(channel, address)
    return session.scalar(select(ContactOptOut.id).where(
        ContactOptOut.channel == channel, ContactOptOut.address_hash == key)) is not None


def record_optout(session: Session, channel: str, address: str, source: str, now: datetime) -> bool:
    """Remember that ``address`` wants no more messages; pending ones to it are suppressed. False: already."""
    if opted_out(session, channel, address):
        return False
    session.add(ContactOptOut(channel=channel, address_hash=address_hash(channel, address), source=source, at=now))
    session.flush()
    return True


def notifications_of(session: Session, ticket_id: int) -> list[Notification]:
    """A ticket's notifications, oldest first (the staff ticket page shows their delivery)."""
    return list(session.scalars(select(Notification).where(Notification.ticket_id == ticket_id)
                                .order_by(Notification.id)))
