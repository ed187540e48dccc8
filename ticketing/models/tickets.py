"""Tables: tickets, their append-only history, assisting departments, and the per-day number counter."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.core.db import AwareDateTime, Base


class Ticket(Base):
    """One citizen request. State changes only through ``ticketing.domain.workflow``."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    state: Mapped[str] = mapped_column(String(8), index=True)
    kind: Mapped[str] = mapped_column(String(4))
    category_l1: Mapped[Optional[str]] = mapped_column(String(50))
    category_l2: Mapped[Optional[str]] = mapped_column(String(50))
    category_l3: Mapped[Optional[str]] = mapped_column(String(50))
    category_source: Mapped[str] = mapped_column(String(10), default="caller")
    description: Mapped[str] = mapped_column(Text)
    place: Mapped[Optional[str]] = mapped_column(String(500))
    district: Mapped[Optional[str]] = mapped_column(String(20))
    place_key: Mapped[Optional[str]] = mapped_column(String(100))  # normalised place, hotspots' index (domain/place_keys.py)
    adcode: Mapped[Optional[str]] = mapped_column(String(12))
    event_time: Mapped[Optional[str]] = mapped_column(String(200))
    lat: Mapped[Optional[float]] = mapped_column(Float)
    lon: Mapped[Optional[float]] = mapped_column(Float)
    media_url: Mapped[Optional[str]] = mapped_column(String(1000))
    channel: Mapped[str] = mapped_column(String(10))
    priority: Mapped[str] = mapped_column(String(4))
    emergency: Mapped[Optional[str]] = mapped_column(String(10))
    deadline_policy: Mapped[str] = mapped_column(String(20))
    department_code: Mapped[str] = mapped_column(String(40), index=True)
    sign_due_at: Mapped[datetime] = mapped_column(AwareDateTime())
    resolve_due_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    warn_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    signed_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    resolved_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    closed_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    contact_name: Mapped[Optional[str]] = mapped_column(String(100))
    contact_phone: Mapped[Optional[str]] = mapped_column(String(32), index=True)  # search by phone (store/search.py)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_channel: Mapped[Optional[str]] = mapped_column(String(8))  # sms / email / none (domain/contact.py)
    contact_email: Mapped[Optional[str]] = mapped_column(String(254))
    conversation_id: Mapped[Optional[str]] = mapped_column(String(128), index=True)
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(128), unique=True)
    request_hash: Mapped[Optional[str]] = mapped_column(String(64))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tickets.id"))
    merged_into: Mapped[Optional[str]] = mapped_column(String(20))
    reply: Mapped[Optional[str]] = mapped_column(Text)
    rating: Mapped[Optional[str]] = mapped_column(String(10))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    extension_due_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.seq", cascade="all, delete-orphan"
    )
    parent: Mapped[Optional["Ticket"]] = relationship(remote_side=[id])
    assists: Mapped[list["TicketAssist"]] = relationship(
        back_populates="ticket", order_by="TicketAssist.id", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def assist_codes(self) -> list[str]:
        """Assisting departments (协办), in the order they were added."""
        return [a.department_code for a in self.assists]

    @property
    def category(self) -> list[str]:
        """Category path as a list of 1..3 level names (empty when unknown)."""
        return [c for c in (self.category_l1, self.category_l2, self.category_l3) if c]


class TicketEvent(Base):
    """One history entry. Rows are only ever inserted; ``seq`` numbers them per ticket without gaps."""

    __tablename__ = "ticket_events"
    __table_args__ = (UniqueConstraint("ticket_id", "seq", name="uq_ticket_events_ticket_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[Optional[str]] = mapped_column(String(8))
    to_state: Mapped[Optional[str]] = mapped_column(String(8))
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    reason: Mapped[Optional[str]] = mapped_column(Text)
    note: Mapped[Optional[str]] = mapped_column(Text)
    data: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketAssist(Base):
    """A department assisting (协办) the lead department (主办) on a joint ticket."""

    __tablename__ = "ticket_assists"
    __table_args__ = (UniqueConstraint("ticket_id", "department_code", name="uq_ticket_assists_ticket_dept"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    department_code: Mapped[str] = mapped_column(String(40), index=True)
    added_at: Mapped[datetime] = mapped_column(AwareDateTime())

    ticket: Mapped[Ticket] = relationship(back_populates="assists")


class TicketCounter(Base):
    """Last number issued per China calendar day (``YYYYMMDD``); bumped inside the creating transaction."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


Index("ix_tickets_state_created", Ticket.state, Ticket.created_at)
# Hotspots: a place's complaints of one category and period, newest first (migration 0012).
Index("ix_tickets_place_key", Ticket.place_key, Ticket.category_l1, Ticket.created_at,
      postgresql_where=Ticket.place_key.isnot(None), sqlite_where=Ticket.place_key.isnot(None))
# 回访 list: answered, unrated tickets with a phone, oldest answer first (migration 0013; store/followup.py
# asks the same with the vocabulary's names; SQL text here, as models may not import the domain).
_AWAITING_RATING = text("state = '已办结' AND rating IS NULL AND contact_phone IS NOT NULL")
Index("ix_tickets_followup", Ticket.resolved_at, Ticket.id,
      postgresql_where=_AWAITING_RATING, sqlite_where=_AWAITING_RATING)
