"""The pure rules of domain/notices.py: which history events tell the resident what (no database)."""
from __future__ import annotations

from datetime import datetime, timezone

from ticketing.domain import history
from ticketing.domain.departments import default_directory
from ticketing.domain.notices import outgoing
from ticketing.models.tickets import Ticket

AT = datetime(2026, 12, 2, 8, 0, tzinfo=timezone.utc)


def _ticket(channel: str | None) -> Ticket:
    ticket = Ticket(number="20261202-000001", state="已派单", kind="投诉", description="路灯坏了", channel="chat",
                    priority="普通", department_code="urban-management", resolve_due_at=AT, contact_channel=channel,
                    contact_phone="13812345678", assists=[], events=[])
    history.record(ticket, action="create", at=AT, actor="系统", role="system", to_state="已受理")
    history.record(ticket, action="dispatch", at=AT, actor="自动派单", role="system", from_state="已受理",
                   to_state="已派单")
    return ticket


def test_creation_is_one_message_naming_the_unit() -> None:
    rows = outgoing(_ticket("sms"), _ticket("sms").events, default_directory(), at_creation=True)
    assert [(r.event_type, r.notice) for r in rows] == [("ticket.created", "received"), ("ticket.transitioned", None)]
    assert rows[0].params["department"] and rows[0].params["due_short"] == "12月2日16:00"


def test_no_channel_no_notice_but_still_events() -> None:
    for channel in (None, "none"):
        rows = outgoing(_ticket(channel), _ticket(channel).events, default_directory(), at_creation=True)
        assert len(rows) == 2 and not any(r.notice for r in rows)


def test_internal_notes_publish_nothing_and_signing_tells_nobody() -> None:
    ticket = _ticket("email")
    note = history.record(ticket, action="internal_note", at=AT, actor="话务员", role="staff", note="内部")
    sign = history.record(ticket, action="sign", at=AT, actor="城管", role="department")
    rows = outgoing(ticket, [note, sign], default_directory())
    assert [(r.routing_key, r.notice) for r in rows] == [("ticket.transitioned.sign", None)]
