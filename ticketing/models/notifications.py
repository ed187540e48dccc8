"""Tables of the outbox (domain events written with the change that caused them), the resident
notifications it carries, and the contacts that unsubscribed (退订).

Outbox rows are only inserted by the transaction that changes the ticket, so a rolled-back change
leaves neither an event nor a message; the relay and the notifier only ever update their own columns.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.core.db import AwareDateTime, Base

# Delivery states of a notification (docs/notifications.md draws the machine).
PENDING, SENDING, SENT, RETRY, DEAD, SUPPRESSED = "pending", "sending", "sent", "retry", "dead", "suppressed"
DELIVERY_STATES = (PENDING, SENDING, SENT, RETRY, DEAD, SUPPRESSED)


class OutboxEvent(Base):
    """One versioned domain event (ticket created / transitioned / rated), published at most once per relay pass."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    routing_key: Mapped[str] = mapped_column(String(80))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    published_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())


class Notification(Base):
    """One message owed to a resident for one event, on the channel they chose; its delivery state and attempts."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox_events.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(8))
    # Private parameters of the message (the department's reply, the rating link): never in the public event.
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(AwareDateTime())
    claimed_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    rendered: Mapped[Optional[str]] = mapped_column(Text)
    provider_id: Mapped[Optional[str]] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    sent_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())


class ContactOptOut(Base):
    """A contact (phone or e-mail, stored as a hash) that asked for no more messages (退订)."""

    __tablename__ = "contact_optouts"
    __table_args__ = (UniqueConstraint("channel", "address_hash", name="uq_contact_optouts_channel_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(8))
    address_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(AwareDateTime())


Index("ix_outbox_events_unpublished", OutboxEvent.published_at, OutboxEvent.id)
Index("ix_notifications_due", Notification.state, Notification.next_attempt_at)
