"""Sentences built from ticket data."""
from __future__ import annotations

from actions.messages import emergency_message, filed_message, inert, not_found_message, status_message
from actions.parsing import detect_emergency
from tests.bot.helpers import TICKET


def test_filed_message_has_number_department_and_due_time() -> None:
    assert filed_message(TICKET) == (
        "已为您登记工单 20261125-000001，承办单位：武汉市城市管理执法委员会，"
        "将于 2026年12月4日（周五）17:30 前答复您。"
        "您可以随时发送“我的工单 20261125-000001 办得怎么样了”查询进度。"
    )


def test_a_ticket_waiting_for_dispatch_does_not_name_the_dispatch_centre_as_its_department() -> None:
    waiting = {**TICKET, "state": "已受理", "department": {"code": "hotline", "name": "武汉市12345市民服务热线（派单中心）"}}
    for text in (filed_message(waiting), status_message(waiting)):
        assert "热线话务员" in text and "承办单位：" not in text and "派单中心" not in text, text
    assert "热线话务员将尽快为您确定承办单位，承办单位将于 2026年12月4日（周五）17:30 前答复您。" in filed_message(waiting)
    assert "承办单位：武汉市城市管理执法委员会" in status_message(TICKET)


def test_filed_message_mentions_urgency_and_truncation() -> None:
    text = filed_message({**TICKET, "priority": "紧急"}, truncated=True)
    assert "紧急" in text and "一万字" in text


def test_due_time_is_formatted_when_the_display_is_missing() -> None:
    ticket = {**TICKET, "resolve_due_display": None}
    assert "2026年12月4日（周五）17:30" in filed_message(ticket)


def test_status_of_an_open_ticket() -> None:
    text = status_message(TICKET)
    assert text.startswith("工单 20261125-000001 当前状态：已派单")
    assert "武汉市城市管理执法委员会" in text and "2026年12月4日（周五）17:30" in text


def test_status_of_a_resolved_ticket_shows_the_reply_inert() -> None:
    text = status_message({**TICKET, "state": "已办结", "reply": "已修复。<script>x</script> [点我](http://a)"})
    assert "已办结" in text and "<" not in text and "[" not in text


def test_inert_neutralises_markup_and_limits_length() -> None:
    assert inert("<b>**粗**</b>") == "＜b＞＊＊粗＊＊＜/b＞"
    assert inert("长" * 300, limit=10) == "长" * 10 + "…"


def test_not_found_and_emergency_messages() -> None:
    assert "20261125-999999" in not_found_message("20261125-999999")
    emergency = detect_emergency("煤气泄漏了")
    assert emergency is not None and "119" in emergency_message(emergency)


def test_emergency_message_says_which_number_first_and_why() -> None:
    """Issue 15: the first reply names the number at once, then why, then that a ticket follows."""
    said = emergency_message(detect_emergency("出车祸了"))
    assert said.startswith("您说的情况可能危及生命安全，请立即拨打 122（交通事故）！")
    assert "交警" in said and "120（医疗急救）" in said and said.endswith("但工单不能代替报警。")
    injured = emergency_message(detect_emergency("有人被车撞倒了，躺在地上流血"))
    assert "122（交通事故）" in injured and "120（医疗急救）" in injured
    gas = emergency_message(detect_emergency("楼道里一股很冲的煤气味，好像漏气了"))
    assert "119" in gas.split("！")[0] and "爆炸" in gas


def test_status_of_merged_and_overdue_tickets() -> None:
    merged = status_message({**TICKET, "state": "已合并", "merged_into": "20261120-000009"})
    assert "20261120-000009" in merged and "合并" in merged
    overdue = status_message({**TICKET, "state": "已签收", "due_status": "超期"})
    assert "督办" in overdue


def test_reply_is_shown_only_to_the_conversation_that_filed() -> None:
    resolved = {**TICKET, "state": "已办结", "reply": "已于昨日更换灯泡。"}
    assert "更换灯泡" in status_message(resolved, own=True)
    assert "更换灯泡" not in status_message(resolved, own=False)
