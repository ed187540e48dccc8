"""Delivery over a real SMTP conversation (aiosmtpd) and to a local SMS gateway: content, exactly once,
retries with backoff, the dead-letter state, masked phones in logs."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from ticketing.core.timefmt import utcnow
from ticketing.models.notifications import Notification
from ticketing.notifications.delivery import Deliverer
from ticketing.notifications.mail import SmtpMailer
from tests.support.ports import free_port
from tests.ticketing.notifications.helpers import EMAIL, MOBILE, outbox, resolve


def _ids(app, number: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [n.id for n in outbox(app, number)[1]]


def test_resolution_email_arrives_once_with_reply_and_links(app, client, make_ticket, deliverer, smtp_sink) -> None:
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    resolve(client, ticket, reply="已派人更换灯泡。\n今晚恢复照明。")
    received, resolved = _ids(app, ticket["number"])
    assert deliverer.deliver(received) == "sent" and deliverer.deliver(resolved) == "sent"
    assert deliverer.deliver(resolved) is None  # already delivered: not sent again
    assert deliverer.sweep() == 0
    mails = smtp_sink.wait_for(2)
    assert len(mails) == 2
    mail = mails[1]
    assert mail["To"] == EMAIL and ticket["number"] in mail["Subject"] and "办结" in mail["Subject"]
    body = mail.get_content()
    assert "已派人更换灯泡。\n今晚恢复照明。" in body and "https://wh12345.cn/r/" in body
    assert "https://wh12345.cn/n/unsubscribe/" in body and mail["List-Unsubscribe"].strip().startswith("<https://")
    assert mail["Message-ID"] == f"<notification-{resolved}@yijian>"
    with app.state.sessions() as db:
        row = db.get(Notification, resolved)
        assert (row.state, row.attempts) == ("sent", 1) and row.sent_at and "今晚恢复照明" in row.rendered


def test_sms_signed_templated_and_one_segment(app, client, make_ticket, deliverer, sms_sink, caplog) -> None:
    ticket = make_ticket(contact_channel="短信", contact_phone=MOBILE)
    resolve(client, ticket, reply="经现场核查，该路灯线路老化，已于今日更换线路和灯具，恢复正常照明，感谢您的监督。")
    caplog.set_level(logging.INFO, logger="yijian.notifier")
    for notification_id in _ids(app, ticket["number"]):
        assert deliverer.deliver(notification_id) == "sent"
    assert [r["TemplateCode"] for r in sms_sink.requests] == ["SMS_YJ_RECEIVED", "SMS_YJ_RESOLVED"]
    request = sms_sink.requests[1]
    assert request["_valid"] and request["PhoneNumbers"] == MOBILE and request["SignName"] == "武汉12345"
    assert request["OutId"].startswith("n")
    with app.state.sessions() as db:
        texts = [n.rendered for n in db.scalars(select(Notification).order_by(Notification.id))]
    assert all(len(t) <= 70 for t in texts), [len(t) for t in texts]
    assert "https://wh12345.cn/r/" in texts[1] and "…" in texts[1]  # the reply is cut to fit, the link is whole
    assert MOBILE not in caplog.text and "138****5678" in caplog.text


def test_smtp_down_retries_with_backoff_then_dead(app, make_ticket, deliverer) -> None:
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    [notification_id] = _ids(app, ticket["number"])
    broken = Deliverer(app.state.sessions, deliverer.templates, SmtpMailer(f"smtp://127.0.0.1:{free_port()}", "a@b.cn"),
                       deliverer.sms, deliverer.base_url)
    now = utcnow()
    assert broken.deliver(notification_id, now) == "retry"
    with app.state.sessions() as db:
        row = db.get(Notification, notification_id)
        assert row.attempts == 1 and row.next_attempt_at >= now + timedelta(seconds=4) and "SMTP" in row.last_error
    assert broken.deliver(notification_id, now) is None  # not due yet
    for attempt in range(2, deliverer.templates.retry.max_attempts + 1):
        now += timedelta(hours=1)
        assert broken.deliver(notification_id, now) == ("dead" if attempt == deliverer.templates.retry.max_attempts
                                                        else "retry")
    assert broken.deliver(notification_id, now + timedelta(days=1)) is None  # dead stays dead


def test_gateway_outage_is_retried_and_a_permanent_refusal_is_dead(app, make_ticket, deliverer, sms_sink) -> None:
    first = make_ticket(contact_channel="sms", contact_phone=MOBILE)
    second = make_ticket(contact_channel="sms", contact_phone="13900002222")
    sms_sink.fail_next = [500, "isv.MOBILE_NUMBER_ILLEGAL"]
    [a], [b] = _ids(app, first["number"]), _ids(app, second["number"])
    assert deliverer.deliver(a) == "retry"
    assert deliverer.deliver(b) == "dead"
    assert deliverer.sweep(utcnow() + timedelta(minutes=5)) == 1  # only the retry, not the dead one
    with app.state.sessions() as db:
        assert (db.get(Notification, a).state, db.get(Notification, a).attempts) == ("sent", 2)
        assert "MOBILE_NUMBER_ILLEGAL" in db.get(Notification, b).last_error


def test_a_notifier_killed_mid_send_is_recovered_after_the_lease(app, make_ticket, deliverer, smtp_sink) -> None:
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    [notification_id] = _ids(app, ticket["number"])
    assert deliverer._claim(notification_id, utcnow())  # claimed, then the process "died"
    assert deliverer.sweep() == 0  # inside the lease nobody touches it
    later = utcnow() + timedelta(seconds=deliverer.templates.retry.lease_seconds + 1)
    assert deliverer.sweep(later) == 1
    assert len(smtp_sink.wait_for(1)) == 1
