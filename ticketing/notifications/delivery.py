"""Deliver one notification exactly once: claim it, render it, send it, record the outcome.

The claim is one conditional UPDATE (pending/retry and due -> sending), so two notifiers, or the
broker consumer and the retry sweep, never send the same notification twice; ``sent`` is the record
of a delivered id. A failure waits (backoff from config/notifications.yml) and is retried; after the
last attempt, or at once for a permanent refusal, it is dead (死信) and the staff ticket page says so.
A notifier killed between claim and record leaves ``sending``; after the lease it is retried (the
Message-ID / OutId stay the same, so the receiver can tell a repeat).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from ticketing.core.timefmt import utcnow
from ticketing.domain.contact import EMAIL, SMS, recipient
from ticketing.domain.privacy import mask_phone, mask_text
from ticketing.models.notifications import (DEAD, PENDING, RETRY, SENDING, SENT, SUPPRESSED, Notification,
                                            OutboxEvent)
from ticketing.models.tickets import Ticket
from ticketing.notifications.mail import DeliveryError
from ticketing.notifications.templates import Email, Sms, Templates
from ticketing.notifications.unsubscribe import unsubscribe_path
from ticketing.services.outbox import opted_out

log = logging.getLogger("yijian.notifier")


class Mailer(Protocol):
    def send(self, to: str, mail: Email, *, message_id: str, unsubscribe: str | None = None) -> str: ...


class SmsSender(Protocol):
    def send(self, phone: str, sms: Sms, *, out_id: str) -> str: ...


@dataclass
class Deliverer:
    factory: sessionmaker
    templates: Templates
    mailer: Mailer
    sms: SmsSender
    base_url: str
    secret: str | None = None
    hotline: str = "12345"

    def deliver(self, notification_id: int, now: datetime | None = None) -> str | None:
        """Try the notification once if it is due and not taken; returns its new state (None: not ours now)."""
        now = now or utcnow()
        if not self._claim(notification_id, now):
            return None
        with self.factory() as session:
            note = session.get(Notification, notification_id)
            ticket = session.get(Ticket, note.ticket_id) if note else None
            if note is None or ticket is None:
                return None
            to = recipient(note.channel, ticket.contact_phone, ticket.contact_email)
            attempts, kind, channel, params = note.attempts, note.kind, note.channel, dict(note.params)
            optout = bool(to) and opted_out(session, note.channel, to)
        if not to:
            return self._finish(notification_id, DEAD, error="没有可用的联系方式")
        if optout:
            return self._finish(notification_id, SUPPRESSED, error="市民已退订")
        try:
            text, provider_id = self._send(notification_id, kind, channel, to, params)
        except DeliveryError as exc:
            return self._failed(notification_id, attempts, exc, now, to)
        except Exception as exc:  # a template or adapter bug must not kill the notifier: retry, then dead
            log.exception("notification %s: unexpected failure", notification_id)
            return self._failed(notification_id, attempts, DeliveryError(f"系统错误（{type(exc).__name__}）：{exc}"), now, to)
        log.info("notification %s (%s %s) sent to %s", notification_id, kind, channel, _masked(channel, to))
        return self._finish(notification_id, SENT, rendered=text, provider_id=provider_id)

    def _claim(self, notification_id: int, now: datetime) -> bool:
        with self.factory() as session, session.begin():
            result = session.execute(
                update(Notification).where(Notification.id == notification_id,
                                           Notification.state.in_((PENDING, RETRY)),
                                           Notification.next_attempt_at <= now)
                .values(state=SENDING, claimed_at=now, attempts=Notification.attempts + 1)
                .execution_options(synchronize_session=False))
            return result.rowcount == 1

    def _send(self, notification_id: int, kind: str, channel: str, to: str,
              params: dict[str, Any]) -> tuple[str, str]:
        values = {**params, "link": self._absolute(params.get("link") or "/lookup"), "hotline": self.hotline}
        if channel == SMS:
            sms = self.templates.render_sms(kind, values)
            return sms.text, self.sms.send(to, sms, out_id=f"n{notification_id}")
        if channel == EMAIL:
            unsubscribe = self._absolute(unsubscribe_path(notification_id, self.secret))
            mail = self.templates.render_email(kind, {**values, "unsubscribe": unsubscribe})
            message_id = f"<notification-{notification_id}@yijian>"
            provider = self.mailer.send(to, mail, message_id=message_id, unsubscribe=unsubscribe)
            return f"{mail.subject}\n\n{mail.body}", provider
        raise DeliveryError(f"未知的告知方式：{channel[:10]}", permanent=True)

    def _absolute(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url.rstrip("/") + path

    def _failed(self, notification_id: int, attempts: int, exc: DeliveryError, now: datetime, to: str) -> str:
        error = mask_text(str(exc))[:500]
        log.warning("notification %s to %s failed (attempt %s): %s", notification_id,
                    _masked("sms" if "@" not in to else "email", to), attempts, error)
        if exc.permanent or attempts >= self.templates.retry.max_attempts:
            return self._finish(notification_id, DEAD, error=error)
        wait = timedelta(seconds=self.templates.retry.wait_after(attempts))
        return self._finish(notification_id, RETRY, error=error, next_attempt_at=now + wait)

    def _finish(self, notification_id: int, state: str, *, error: str | None = None, rendered: str | None = None,
                provider_id: str | None = None, next_attempt_at: datetime | None = None) -> str:
        values: dict[str, Any] = {"state": state, "last_error": error}
        if state == SENT:
            values.update(sent_at=utcnow(), rendered=rendered, provider_id=(provider_id or "")[:120])
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        with self.factory() as session, session.begin():
            session.execute(update(Notification).where(Notification.id == notification_id,
                                                       Notification.state == SENDING).values(**values)
                            .execution_options(synchronize_session=False))
        return state

    # --- what to try: by event (the relay's consumer, the direct outbox reader) or by time (the sweep) ---

    def deliver_event(self, payload: dict[str, Any]) -> list[str | None]:
        """Deliver the notifications an event carries (none for most events; idempotent on repeats)."""
        if not payload.get("notice"):
            return []
        with self.factory() as session:
            ids = list(session.scalars(select(Notification.id).join(OutboxEvent, OutboxEvent.id == Notification.outbox_id)
                                       .where(OutboxEvent.event_id == str(payload.get("event_id")))))
        return [self.deliver(i) for i in ids]

    def sweep(self, now: datetime | None = None, *, stale_pending_after: float | None = 60.0,
              limit: int = 200) -> int:
        """Retries that are due, claims whose notifier died, and (as a safety net) pending ones no event
        brought within ``stale_pending_after`` seconds; returns how many were tried."""
        now = now or utcnow()
        lease = timedelta(seconds=self.templates.retry.lease_seconds)
        with self.factory() as session, session.begin():
            session.execute(update(Notification).where(Notification.state == SENDING,
                                                       Notification.claimed_at < now - lease)
                            .values(state=RETRY, next_attempt_at=now, last_error="发送中断，重新发送")
                            .execution_options(synchronize_session=False))
        with self.factory() as session:
            due = (Notification.state == RETRY)
            if stale_pending_after is not None:
                due = due | ((Notification.state == PENDING)
                             & (Notification.created_at <= now - timedelta(seconds=stale_pending_after)))
            ids = list(session.scalars(select(Notification.id).where(due, Notification.next_attempt_at <= now)
                                       .order_by(Notification.id).limit(limit)))
        for notification_id in ids:
            self.deliver(notification_id, now)
        return len(ids)


def _masked(channel: str, to: str) -> str:
    return (mask_phone(to) or "") if channel == SMS else to.split("@")[0][:2] + "***@" + to.split("@")[-1]
