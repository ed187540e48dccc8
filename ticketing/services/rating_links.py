"""One-tap rating links: issue a signed, expiring, single-use link, and check one that comes back.

The token is short enough for one SMS segment: ``<link id in base 36>.<12-character signature>``.
The signature (itsdangerous, HMAC-SHA256 truncated to 72 bits, key derived from the app secret and a
salt of its own) covers the row's id, ticket, resolution event and expiry, so changing any of them
in the URL or in the database breaks it. The row makes the link single-use (``used_at``) and counts
refused reuse. Whether a rating is still owed is always the ticket's state machine's answer: a
link only proves who is asking about which answer.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from itsdangerous import Signer
from itsdangerous.signer import HMACAlgorithm
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ticketing.core.secret import load_secret
from ticketing.core.settings import load_settings
from ticketing.domain.followup import FollowUpPolicy, default_followup
from ticketing.domain.vocabulary import RESOLVED
from ticketing.models.rating import RatingLink
from ticketing.models.tickets import Ticket
from ticketing.store.followup import current_resolution

SALT = "yijian.rating-link.v1"
SIGNATURE_BYTES = 9  # 72 bits: 12 base64 characters; guessing is hopeless and the page is rate-limited
PATH_PREFIX = "/r/"

# What a returning link turns out to be. Only OK may rate.
OK, ALTERED, EXPIRED, USED, SUPERSEDED, ALREADY_RATED, NOT_RATEABLE = (
    "ok", "altered", "expired", "used", "superseded", "already_rated", "not_rateable")


class _ShortHMAC(HMACAlgorithm):
    """HMAC-SHA256 cut to ``SIGNATURE_BYTES`` (itsdangerous compares in constant time)."""

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return super().get_signature(key, value)[:SIGNATURE_BYTES]


def _signer(secret: str | None) -> Signer:
    key = secret or load_secret(load_settings().secret_key.get_secret_value())
    return Signer(key, salt=SALT, sep=".", digest_method=hashlib.sha256, algorithm=_ShortHMAC(hashlib.sha256))


def _message(link: RatingLink) -> bytes:
    return f"{link.id}|{link.ticket_id}|{link.resolution_event_id}|{int(link.expires_at.timestamp())}".encode()


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def token_for(link: RatingLink, secret: str | None = None) -> str:
    """The URL token of a stored link (the same every time: retries of one message send one link)."""
    signature = _signer(secret).get_signature(_message(link)).decode()
    return f"{_b36(link.id)}.{signature}"


def issue_rating_link(session: Session, ticket: Ticket, now: datetime, *, secret: str | None = None,
                      policy: FollowUpPolicy | None = None) -> str:
    """The path ``/r/<token>`` of a rating link for the ticket's current answer (办结 or 直接答复).

    Runs in the caller's transaction (the caller commits). A live unused link for the same answer is
    reused, so a retried message carries the same link. Raises ``ValueError`` for a ticket that has no
    answer yet. ``secret`` defaults to the app secret (``YIJIAN_SECRET_KEY`` or the saved dev key).
    """
    session.flush()  # the resolution event and the ticket need their ids
    resolution = current_resolution(session, ticket.id)
    if resolution is None:
        raise ValueError(f"ticket {ticket.number} has no answer to rate")
    link = session.scalar(select(RatingLink).where(
        RatingLink.ticket_id == ticket.id, RatingLink.resolution_event_id == resolution.id,
        RatingLink.used_at.is_(None), RatingLink.created_at <= now, RatingLink.expires_at > now)
        .order_by(RatingLink.id.desc()).limit(1))
    if link is None:
        link = RatingLink(ticket_id=ticket.id, resolution_event_id=resolution.id, created_at=now,
                          expires_at=(policy or default_followup()).link_expires(now), refused_count=0)
        session.add(link)
        session.flush()
    return PATH_PREFIX + token_for(link, secret)


@dataclass(frozen=True)
class LinkCheck:
    """The verdict on a returning token; ``link`` and ``ticket`` are set whenever the token was genuine."""

    status: str
    link: RatingLink | None = None
    ticket: Ticket | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK


def check_link(session: Session, token: str, now: datetime, *, secret: str | None = None) -> LinkCheck:
    """Genuine → not expired → not used → still about the ticket's current answer → still unrated."""
    link = _genuine(session, token, secret)
    if link is None:
        return LinkCheck(ALTERED)
    ticket = session.get(Ticket, link.ticket_id)
    assert ticket is not None  # the foreign key (ON DELETE CASCADE) guarantees it
    if link.used_at is not None:
        return LinkCheck(USED, link, ticket)
    if ticket.rating is not None and ticket.state != RESOLVED:
        return LinkCheck(ALREADY_RATED, link, ticket)
    resolution = current_resolution(session, ticket.id)
    if resolution is None or resolution.id != link.resolution_event_id:
        return LinkCheck(SUPERSEDED, link, ticket)
    if now >= link.expires_at:
        return LinkCheck(EXPIRED, link, ticket)
    if ticket.state != RESOLVED:
        return LinkCheck(NOT_RATEABLE, link, ticket)
    return LinkCheck(OK, link, ticket)


def _genuine(session: Session, token: str, secret: str | None) -> RatingLink | None:
    """The stored link whose id and signature match the token, else None (altered, forged, unknown)."""
    ident, sep, signature = (token or "").partition(".")
    if not sep or not 1 <= len(ident) <= 12 or not ident.isalnum() or not ident.isascii() or len(signature) > 40:
        return None
    link = session.get(RatingLink, int(ident, 36))
    if link is None or not _signer(secret).verify_signature(_message(link), signature.encode()):
        return None
    return link


def mark_used(session: Session, link_id: int, rating: str, now: datetime) -> bool:
    """Spend the link (only once: a conditional update); False when it was already spent."""
    result = session.execute(update(RatingLink).where(RatingLink.id == link_id, RatingLink.used_at.is_(None))
                             .values(used_at=now, used_rating=rating))
    return result.rowcount == 1


def note_refusal(session: Session, link: RatingLink | None, now: datetime) -> None:
    """Count a refused use of a genuine link (reuse, expiry, a changed answer): visible in the table."""
    if link is not None:
        session.execute(update(RatingLink).where(RatingLink.id == link.id)
                        .values(refused_count=RatingLink.refused_count + 1, last_refused_at=now))
