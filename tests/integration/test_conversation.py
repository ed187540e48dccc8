"""The assistant through Rasa's REST channel with the real model, actions and ticketing service."""

from __future__ import annotations

import pytest
import requests

from tests.support.chat import CJK, Resident
from tests.support.staff import staff_session

pytestmark = pytest.mark.rasa

PLACE_QUESTION = r"哪里|地点|位置"


def _ticket(ticketing_url: str, api_headers: dict[str, str], number: str) -> dict:
    response = requests.get(f"{ticketing_url}/api/tickets/{number}", headers=api_headers, timeout=10)
    response.raise_for_status()
    return response.json()


def test_complaint_without_place_asks_for_it_then_files(rasa_url: str, ticketing_url: str,
                                                        api_headers: dict[str, str]) -> None:
    resident = Resident(rasa_url)
    resident.say("你好")
    question = resident.say("我们小区门口的垃圾好几天没人清运了，臭气熏天")
    assert any(word in question for word in ("哪里", "地点", "位置")), resident.transcript
    summary = resident.say("江汉区解放大道688号附近的幸福小区")
    assert "确认" in summary and "幸福小区" in summary, resident.transcript
    reply = resident.say("确认")
    ticket = _ticket(ticketing_url, api_headers, resident.ticket_number(reply))
    assert "垃圾" in ticket["description"]
    assert "幸福小区" in ticket["place"]
    assert ticket["department"]["name"] in reply
    assert ticket["resolve_due_display"] in reply


def test_complaint_with_place_goes_straight_to_the_summary(rasa_url: str, ticketing_url: str,
                                                           api_headers: dict[str, str]) -> None:
    resident = Resident(rasa_url)
    summary = resident.say("光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑")
    assert "确认" in summary and "哪里" not in summary, resident.transcript
    reply = resident.say("确认")
    ticket = _ticket(ticketing_url, api_headers, resident.ticket_number(reply))
    assert "光谷大道" in ticket["place"]
    assert ticket["channel"] == "chat"


def test_status_question_reports_current_state(rasa_url: str, ticketing_url: str) -> None:
    filed = requests.post(
        f"{ticketing_url}/api/tickets",
        json={"description": "小区楼下餐馆油烟很大，窗户都不敢开", "place": "武昌区中南路12号", "channel": "web"},
        timeout=10,
    ).json()
    reply = Resident(rasa_url).say(f"我的工单 {filed['number']} 办得怎么样了")
    assert filed["number"] in reply and filed["state"] in reply, reply


def test_consultation_is_answered_at_once_and_recorded_as_direct_answer(rasa_url: str, ticketing_url: str,
                                                                        api_headers: dict[str, str]) -> None:
    reply = Resident(rasa_url).say("请问公积金怎么提取")
    assert "公积金" in reply and "直接答复" in reply, reply
    number = Resident(rasa_url).ticket_number(reply)
    ticket = _ticket(ticketing_url, api_headers, number)
    assert ticket["state"] == "已办结" and ticket["kind"] == "咨询"
    events = requests.get(f"{ticketing_url}/api/tickets/{number}/history", headers=api_headers,
                          timeout=10).json()["events"]
    assert [e["action"] for e in events] == ["create", "reply_directly"]
    assert events[-1]["note"] in reply  # the record holds exactly the answer the resident read


def test_danger_says_whom_to_call_at_once_and_files_urgent(rasa_url: str, ticketing_url: str,
                                                           api_headers: dict[str, str]) -> None:
    resident = Resident(rasa_url)
    first = resident.say("我们楼道里煤气味特别浓，好像燃气泄漏了")
    assert "119" in first, resident.transcript  # before any question about the place
    reply = resident.follow_through(first, place="江岸区二七路幸福里小区3栋")
    ticket = _ticket(ticketing_url, api_headers, resident.ticket_number(reply))
    assert ticket["priority"] == "紧急", ticket


def test_unknown_ticket_number_is_said_plainly(rasa_url: str) -> None:
    reply = Resident(rasa_url).say("帮我查一下工单 19990101-999999 的进度")
    assert "19990101-999999" in reply and CJK.search(reply), reply


@pytest.mark.parametrize(
    "message",
    ["", "   ", "😀😀😀👍", "My street light has been broken for a week", "???", "<b>hi</b><script>alert(1)</script>"],
    ids=["empty", "blank", "emoji", "english", "punctuation", "html"],
)
def test_odd_input_gets_a_chinese_answer(rasa_url: str, message: str) -> None:
    reply = Resident(rasa_url).say(message)
    assert CJK.search(reply), f"reply to {message!r} has no Chinese: {reply!r}"
    assert "<script>" not in reply


def test_very_long_complaint_is_filed_whole(rasa_url: str, ticketing_url: str,
                                            api_headers: dict[str, str]) -> None:
    text = "我家楼下的工地每天夜里施工到凌晨两点，噪音特别大，" * 200  # 5,000 characters
    assert len(text) == 5000
    resident = Resident(rasa_url)
    reply = resident.follow_through(resident.say(text), place="汉阳区钟家村建港小区")
    ticket = _ticket(ticketing_url, api_headers, resident.ticket_number(reply))
    assert ticket["description"].startswith(text[:1000])
    assert len(ticket["description"]) >= 5000


def test_script_in_complaint_is_stored_and_shown_as_text(rasa_url: str, ticketing_url: str,
                                                         api_headers: dict[str, str]) -> None:
    resident = Resident(rasa_url)
    first = resident.say("<script>alert('x')</script>青山区和平大道的下水道堵了，污水漫到路上")
    assert "<script>" not in first, resident.transcript
    reply = resident.follow_through(first, place="青山区和平大道")
    number = resident.ticket_number(reply)
    assert "<script>" in _ticket(ticketing_url, api_headers, number)["description"]
    page = staff_session(ticketing_url).get(f"{ticketing_url}/staff/tickets", timeout=10).text
    assert "<script>alert('x')" not in page
    assert "&lt;script&gt;" in page


def test_a_letter_that_opens_with_the_writer_is_filed_with_its_details(rasa_url: str, ticketing_url: str,
                                                                      api_headers: dict[str, str]) -> None:
    """Issue #15: name, phone and place fill the form; the ID number is masked everywhere, never a phone."""
    resident = Resident(rasa_url)
    summary = resident.say("我叫张三，电话13912345678，身份证11010519491231002X，住在洪山区珞喻路锦绣小区3栋201，"
                           "楼上漏水到我家天花板")
    assert "确认" in summary and "19491231" not in summary and "13912345678" not in summary, resident.transcript
    reply = resident.say("确认")
    ticket = _ticket(ticketing_url, api_headers, resident.ticket_number(reply))
    assert (ticket["contact_name"], ticket["contact_phone"]) == ("张三", "13912345678")
    assert "洪山区珞喻路" in ticket["place"] and "漏水" in ticket["description"]
    assert "110105********002X" in ticket["description"] and "19491231" not in ticket["description"]
