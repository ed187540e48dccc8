"""Tables for sign-in: staff and department accounts, and the audit log of who saw or did what.

Kept apart from ``models.py`` (tickets) because accounts change for different reasons.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.core.db import AwareDateTime, Base


class Account(Base):
    """One person who signs in. ``session_version`` bumps to revoke every cookie issued so far."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    department_code: Mapped[Optional[str]] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    last_login_at: Mapped[Optional[datetime]] = mapped_column(AwareDateTime())


class AuditEntry(Base):
    """Append-only: sign-ins, lock-outs, account changes and every view of full contact data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    username: Mapped[str] = mapped_column(String(40), index=True)
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    ticket_number: Mapped[Optional[str]] = mapped_column(String(20), index=True)
    detail: Mapped[Optional[str]] = mapped_column(Text)
    ip: Mapped[Optional[str]] = mapped_column(String(64))
