"""The published event matches its documented JSON Schema; templates fit; the staff page shows delivery;
退订 by link and by SMS reply is honoured; the dev page lists what would have been sent."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from ticketing.core.settings import REPO_ROOT
from ticketing.core.timefmt import utcnow
from ticketing.models.notifications import Notification
from ticketing.notifications import sms as sms_gateway
from ticketing.notifications.devlog import DevMailer, DevSms
from ticketing.notifications.templates import Templates
from ticketing.notifications.unsubscribe import unsubscribe_path
from tests.ticketing.notifications.helpers import EMAIL, MOBILE, act, outbox, resolve

SCHEMA = json.loads((REPO_ROOT / "docs" / "notification-event.schema.json").read_text(encoding="utf-8"))


def test_every_event_matches_the_documented_schema(app, client, make_ticket) -> None:
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    resolve(client, ticket)
    act(client, ticket["number"], action="follow_up", role="resident", rating="满意")
    events, _ = outbox(app, ticket["number"])
    assert {e.type for e in events} == {"ticket.created", "ticket.transitioned", "ticket.rated"}
    for event in events:
        jsonschema.validate(event.payload, SCHEMA, format_checker=jsonschema.FormatChecker())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**events[0].payload, "schema_version": 2}, SCHEMA)


@pytest.mark.parametrize("base", ["http://localhost:8000", "https://wh12345.cn"])
def test_every_sms_fits_one_segment_with_its_link(base: str) -> None:
    templates = Templates.load()
    worst = {"number": "20261202-123456", "due": "2026年12月31日（周四）17:30", "due_short": "12月31日17:30",
             "department": "武汉市城市管理执法委员会东湖新技术开发区分局", "reply": "很长的答复" * 40,
             "parent": "20261202-654321", "link": f"{base}/r/zzzz.abcdefghijkl"}
    for kind in templates.sms:
        sms = templates.render_sms(kind, worst)
        assert len(sms.text) <= 70, (kind, len(sms.text), sms.text)
        if kind == "resolved":
            assert sms.text.count(worst["link"]) == 1


def test_staff_page_shows_delivery_state_and_attempts(app, client, make_ticket, sign_in, deliverer, sms_sink) -> None:
    ticket = make_ticket(contact_channel="sms", contact_phone=MOBILE)
    sms_sink.fail_next = [500]
    [notification_id] = [n.id for n in outbox(app, ticket["number"])[1]]
    assert deliverer.deliver(notification_id) == "retry"
    sign_in("operator")
    page = client.get(f"/staff/tickets/{ticket['number']}").text
    assert 'data-state="retry"' in page and "待重试" in page and "下次重试" in page
    sign_in("dept_officer", ticket["department"]["code"])
    portal = client.get(f"/dept/{ticket['department']['code']}/tickets/{ticket['number']}").text
    assert "告知市民" not in portal  # departments see no delivery details


def test_unsubscribe_link_stops_further_mail(app, client, make_ticket, deliverer, smtp_sink) -> None:
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    [received] = [n.id for n in outbox(app, ticket["number"])[1]]
    assert deliverer.deliver(received) == "sent"
    path = unsubscribe_path(received)
    assert path in smtp_sink.wait_for(1)[0].get_content()
    assert "确认退订" in client.get(path).text
    assert client.get(path[:-2] + "xx").status_code == 404  # altered
    assert "已退订" in client.post(path).text
    resolve(client, ticket)
    resolved = outbox(app, ticket["number"])[1][-1]
    assert resolved.state == "suppressed"  # known at write time
    again = make_ticket(contact_channel="email", contact_email=EMAIL.upper())
    assert outbox(app, again["number"])[1][0].state == "suppressed"


def test_sms_reply_td_unsubscribes_that_number(app, client, make_ticket, monkeypatch) -> None:
    monkeypatch.setenv("YIJIAN_SMS_SECRET", "reply-secret")
    fields = {"PhoneNumber": MOBILE, "Content": "td", "Timestamp": "2026-12-02T08:00:00Z"}
    forged = client.post("/n/sms-replies", json={**fields, "Signature": "x"})
    assert forged.status_code == 403
    signed = {**fields, "Signature": sms_gateway.sign(fields, "reply-secret")}
    assert client.post("/n/sms-replies", json=signed).json() == {"Code": "OK"}
    ticket = make_ticket(contact_channel="sms", contact_phone=MOBILE)
    assert outbox(app, ticket["number"])[1][0].state == "suppressed"


def test_dev_page_lists_what_would_have_been_sent(app, client, make_ticket, sign_in, deliverer, tmp_path: Path,
                                                  monkeypatch) -> None:
    log = tmp_path / "dev.jsonl"
    monkeypatch.setenv("YIJIAN_NOTIFY_DEV_LOG", str(log))
    deliverer.mailer, deliverer.sms = DevMailer(log), DevSms(log)
    for fields in ({"contact_channel": "sms", "contact_phone": MOBILE},
                   {"contact_channel": "email", "contact_email": EMAIL}):
        ticket = make_ticket(**fields)
        assert deliverer.deliver(outbox(app, ticket["number"])[1][0].id) == "sent"
    assert MOBILE not in log.read_text(encoding="utf-8")  # masked in the log too
    assert client.get("/staff/dev/notifications", follow_redirects=False).status_code in (303, 401, 403)
    sign_in("operator")
    page = client.get("/staff/dev/notifications").text
    assert "138****5678" in page and EMAIL in page and "您的诉求已受理" in page
