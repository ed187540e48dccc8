"""How to hear back in the chat: the summary says which channel will be used, the answer to it can
change it (邮箱地址, 短信, 不需要告知), and the ticket is filed with that choice."""
from __future__ import annotations

from actions.confirmation import read_answer, summary_text
from actions.filing import ActionFileTicket, ticket_payload
from actions.messages import filed_message, status_message
from actions.notify_choice import ASK_EMAIL, ASK_MOBILE, effective_channel
from tests.bot.conftest import FakeTicketing
from tests.bot.helpers import make_tracker, run_action

SLOTS = {"description": "光谷广场的路灯坏了", "place": "光谷广场"}
PHONE = {**SLOTS, "contact_name": "张先生", "contact_phone": "13812345678"}


def test_summary_says_which_channel() -> None:
    assert "办理结果告知：短信（138****5678）" in summary_text(PHONE, invite_details=True)
    assert "如需改用邮件告知，请发送邮箱地址" in summary_text(PHONE, invite_details=True)
    assert "办理结果告知：不需要" in summary_text(SLOTS, invite_details=False)
    mail = {**SLOTS, "anonymous": True, "notify_channel": "email", "contact_email": "zhangsan@example.com"}
    assert "办理结果告知：邮件（zh***@example.com）" in summary_text(mail, invite_details=False)
    landline = {**SLOTS, "contact_phone": "027-88886666"}
    assert effective_channel(landline) == "none"  # no SMS to a landline


def test_answers_choose_the_channel() -> None:
    mail = read_answer("用邮件告诉我吧 zhangsan@example.com", SLOTS)
    assert mail.updates == {"notify_channel": "email", "contact_email": "zhangsan@example.com"}
    assert read_answer("不需要告知", PHONE).updates == {"notify_channel": "none"}
    assert read_answer("短信", PHONE).updates == {"notify_channel": "sms"}
    assert read_answer("发短信，13900001111", SLOTS).updates["notify_channel"] == "sms"
    assert read_answer("短信", SLOTS).say == [ASK_MOBILE]
    assert read_answer("邮件", SLOTS).say == [ASK_EMAIL]
    bad = read_answer("zhangsan@", SLOTS)
    assert bad.asked and "格式不正确" in bad.say[0] and not bad.updates
    anonymous_mail = read_answer("匿名，邮件 li@mail.whu.edu.cn，确认", SLOTS)
    assert anonymous_mail.updates["anonymous"] is True and anonymous_mail.updates["contact_email"] == "li@mail.whu.edu.cn"
    assert anonymous_mail.confirmed
    assert read_answer("确认", PHONE).confirmed  # unchanged: a plain yes still files


def test_payload_carries_the_choice() -> None:
    assert ticket_payload(PHONE, "c1")["contact_channel"] == "sms"
    assert ticket_payload(SLOTS, "c1")["contact_channel"] == "none"
    mail = ticket_payload({**SLOTS, "anonymous": True, "notify_channel": "email",
                           "contact_email": "zhangsan@example.com"}, "c1")
    assert mail["anonymous"] is True and mail["contact_email"] == "zhangsan@example.com" and "contact_phone" not in mail
    stop = ticket_payload({**PHONE, "notify_channel": "none"}, "c1")
    assert stop["contact_channel"] == "none" and stop["contact_phone"] == "13812345678"


def test_filed_with_the_choice_and_told_so(ticketing: FakeTicketing) -> None:
    slots = {**SLOTS, "urgent": False, "notify_channel": "email", "contact_email": "zhangsan@example.com"}
    run_action(ActionFileTicket(), make_tracker(slots=slots))
    assert ticketing.created[0]["contact_channel"] == "email"


def test_messages_are_true_to_the_choice() -> None:
    ticket = {"number": "20261202-000001", "state": "已办结", "department": {"name": "市城管委"},
              "resolve_due_display": "2026年12月4日（周五）17:30"}
    assert "短信" not in status_message(ticket, own=False) and "电话" not in status_message(ticket, own=False)
    assert "答复已通过短信发送给您" in status_message({**ticket, "contact_channel": "sms"}, own=False)
    assert "答复已通过邮件发送给您" in status_message({**ticket, "contact_channel": "email"}, own=False)
    filed = {**ticket, "state": "已派单"}
    assert "将通过邮件告知您" in filed_message({**filed, "contact_channel": "email"})
    assert "告知您" not in filed_message({**filed, "contact_channel": "none"})
