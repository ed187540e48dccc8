"""Tables for hearing back from residents: one-tap rating links and the 回访 (follow-up) call log.

Kept apart from ``tickets.py`` because they change for different reasons (how residents are asked,
not what a ticket is). Both rows point at the resolution event they are about, so a link or a call
about an answer that has since been replaced (重办 and a new 办结) can be told apart.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.core.db import AwareDateTime, Base


class RatingLink(Base):
    """One signed link sent to the resident; ``used_at`` makes it single-use, ``refused_count`` shows reuse."""

    __tablename__ = "rating_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    resolution_event_id: Mapped[int] = mapped_column(ForeignKey("ticket_events.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    used_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    used_rating: Mapped[Optional[str]] = mapped_column(String(10))
    refused_count: Mapped[int] = mapped_column(Integer, default=0)
    last_refused_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())


class FollowUpCall(Base):
    """One 回访 phone call by hotline staff: a rating was taken, or the resident could not be reached."""

    __tablename__ = "followup_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    resolution_event_id: Mapped[int] = mapped_column(ForeignKey("ticket_events.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    username: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(12))  # "rated" or "unreachable"
    rating: Mapped[Optional[str]] = mapped_column(String(10))
    note: Mapped[Optional[str]] = mapped_column(Text)
