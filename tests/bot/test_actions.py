"""The custom actions run against fake trackers and a fake ticketing client."""
from __future__ import annotations

import asyncio

from rasa_sdk.events import FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import ValidateComplaintForm
from actions.fallback import ActionHandleFallback
from actions.filing import ActionAffirmOutsideQuestion, ActionFileTicket, ActionResetComplaint
from actions.replies import (ASK_TICKET_NUMBER, EMPTY_MESSAGE, PLEASE_REPHRASE, SERVE_CHINESE, TICKETING_DOWN,
                             TICKETING_UNSURE)
from actions.status import ActionCheckStatus
from actions.ticketing_client import TicketingError, TicketingUnavailable
from tests.bot.helpers import FakeTicketing, make_tracker, run_action

DOMAIN = {"forms": {"complaint_form": {"required_slots": ["description", "place"]}}}


def validate(value: str, slot: str = "description", slots: dict = None):
    """Call one validate_<slot> method; return (slots it sets, texts it says)."""
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateComplaintForm(), f"validate_{slot}")
    result = method(value, dispatcher, make_tracker(value, slots), DOMAIN)
    return result, [m.get("text") for m in dispatcher.messages]


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- validate_complaint_form ----------------------------------------------------------------

def test_description_with_a_place_prefills_the_place() -> None:
    slots, said = validate("光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑")
    assert slots["place"] == "光谷大道和高新大道路口" and not said


def test_description_without_a_place_leaves_it_to_ask() -> None:
    slots, _ = validate("我们小区门口的垃圾好几天没人清运了")
    assert slots == {"description": "我们小区门口的垃圾好几天没人清运了", "event_time": "好几天"}


def test_a_bare_wish_to_complain_asks_for_details() -> None:
    assert validate("我要投诉")[0]["description"] is None


def test_english_description_is_refused_in_chinese() -> None:
    slots, said = validate("my street light is broken")
    assert slots == {"description": None} and said == [SERVE_CHINESE]


def test_danger_tells_whom_to_call_first_and_flags_urgent() -> None:
    slots, said = validate("楼道里煤气泄漏了，味道很大，在江汉区唐家墩街道红旗社区")
    assert slots["urgent"] is True and "119" in said[0]


def test_danger_in_indirect_words_is_told_the_number_first() -> None:
    """Issue 15: "好像漏气了" was answered with "请问问题发生在哪里？" alone."""
    slots, said = validate("三单元楼梯间一股很冲的煤气味，好像漏气了，在江汉区唐家墩街道红旗社区")
    assert slots["urgent"] is True and said[0].startswith("您说的情况可能危及生命安全，请立即拨打 119")


def test_place_answers() -> None:
    assert validate("就在光谷广场", "place") == ({"place": "光谷广场"}, [])
    assert validate("不对，是在汉口", "place") == ({"place": "汉口"}, [])
    slots, said = validate("不知道", "place")
    assert slots == {"place": None} and said


# --- action_file_ticket ---------------------------------------------------------------------

FORM = {"description": "光谷大道和高新大道路口的路灯坏了", "place": "光谷大道和高新大道路口", "urgent": False}


def test_files_and_confirms_then_resets(ticketing: FakeTicketing) -> None:
    events, said = run_action(ActionFileTicket(), make_tracker(slots=FORM))
    assert "已为您登记工单 20261125-000001" in said[0]
    assert slots_of(events) == {"ticket_number": "20261125-000001", "pending_ticket": None,
                                "description": None, "place": None, "urgent": False, "event_time": None,
                                "confirmed": None, "category_path": None, "category_confidence": None,
                                "request_kind": None,
                                "details_invited": False, "skip_summary": False}
    payload = ticketing.created[0]
    assert payload["channel"] == "chat" and payload["kind"] == "投诉" and "category" not in payload
    assert payload["conversation_id"] == "resident-1"


def test_service_down_keeps_the_complaint_and_retry_uses_the_same_key(ticketing: FakeTicketing) -> None:
    ticketing.error = TicketingUnavailable("refused")
    events, said = run_action(ActionFileTicket(), make_tracker(slots=FORM))
    assert said == [TICKETING_DOWN]
    pending = slots_of(events)["pending_ticket"]
    assert pending == FORM and slots_of(events)["description"] is None

    ticketing.error = None
    events, said = run_action(ActionFileTicket(), make_tracker("重新提交", slots={"pending_ticket": pending}))
    assert "20261125-000001" in said[0] and slots_of(events)["pending_ticket"] is None
    assert ticketing.keys[0] == ticketing.keys[1]


def test_a_filing_that_may_have_arrived_is_not_called_unfiled(ticketing: FakeTicketing) -> None:
    """A read timeout may hide a committed ticket: the resident hears "cannot confirm", not "not filed"."""
    ticketing.error = TicketingUnavailable("ReadTimeout", maybe_done=True)
    events, said = run_action(ActionFileTicket(), make_tracker(slots=FORM))
    assert said == [TICKETING_UNSURE] and "尚未登记成功" not in said[0]
    assert slots_of(events)["pending_ticket"] == FORM


def test_confirming_again_after_a_failure_retries_with_the_same_key(ticketing: FakeTicketing) -> None:
    ticketing.error = TicketingUnavailable("refused")
    events, _ = run_action(ActionFileTicket(), make_tracker(slots=FORM))
    ticketing.error = None
    again = make_tracker("确认", slots={"pending_ticket": slots_of(events)["pending_ticket"]})
    events, said = run_action(ActionAffirmOutsideQuestion(), again)
    assert "20261125-000001" in said[0] and slots_of(events)["pending_ticket"] is None
    assert len(ticketing.keys) == 2 and ticketing.keys[0] == ticketing.keys[1]


def test_confirming_with_nothing_pending_asks_what_else(ticketing: FakeTicketing) -> None:
    events, said = run_action(ActionAffirmOutsideQuestion(), make_tracker("好的"))
    assert said == ["utter_anything_else"] and events == [] and not ticketing.created


def test_refused_filing_is_explained_and_forgotten(ticketing: FakeTicketing) -> None:
    ticketing.error = TicketingError("HTTP 422")
    events, said = run_action(ActionFileTicket(), make_tracker(slots=FORM))
    assert "尚未登记成功" in said[0] and slots_of(events)["pending_ticket"] is None


def test_nothing_to_file(ticketing: FakeTicketing) -> None:
    events, said = run_action(ActionFileTicket(), make_tracker("重新提交"))
    assert events == [] and "没有待提交" in said[0] and not ticketing.created


def test_overlong_description_is_truncated_and_said(ticketing: FakeTicketing) -> None:
    slots = {**FORM, "description": "路灯坏了。" * 2500}
    _, said = run_action(ActionFileTicket(), make_tracker(slots=slots))
    assert len(ticketing.created[0]["description"]) == 10_000 and "一万字" in said[0]


def test_urgent_is_sent(ticketing: FakeTicketing) -> None:
    run_action(ActionFileTicket(), make_tracker(slots={**FORM, "urgent": True}))
    assert ticketing.created[0]["urgent"] is True


def test_reset_complaint() -> None:
    events, said = run_action(ActionResetComplaint(), make_tracker())
    slots = slots_of(events)
    assert slots["description"] is None and slots["place"] is None and slots["confirmed"] is None
    assert slots["queued_problems"] is None and slots["urgent"] is False and not said


# --- action_check_status --------------------------------------------------------------------

def test_status_by_number_in_the_message(ticketing: FakeTicketing) -> None:
    entities = [{"entity": "ticket_number", "value": "20261125-000001"}] * 2
    events, said = run_action(ActionCheckStatus(), make_tracker("我的工单 20261125-000001 办得怎么样了", entities=entities))
    assert said[0].startswith("工单 20261125-000001 当前状态：已派单")
    assert events == [SlotSet("ticket_number", "20261125-000001")]


def test_status_unknown_number(ticketing: FakeTicketing) -> None:
    events, said = run_action(ActionCheckStatus(), make_tracker("20261125-999999"))
    assert "没有查到" in said[0] and events == [SlotSet("ticket_number", None)]


def test_status_without_a_number_asks_for_it(ticketing: FakeTicketing) -> None:
    assert run_action(ActionCheckStatus(), make_tracker("我的工单办得怎么样了")) == ([], [ASK_TICKET_NUMBER])


def test_status_uses_the_number_filed_in_this_conversation(ticketing: FakeTicketing) -> None:
    tracker = make_tracker("我的工单办得怎么样了", slots={"ticket_number": "20261125-000001"})
    assert "已派单" in run_action(ActionCheckStatus(), tracker)[1][0]


def test_status_when_the_service_is_down(ticketing: FakeTicketing) -> None:
    ticketing.error = TicketingUnavailable("refused")
    assert "暂时无法连接" in run_action(ActionCheckStatus(), make_tracker("20261125-000001"))[1][0]


# --- action_handle_fallback -----------------------------------------------------------------

def fallback(text: str, intent: str = "nlu_fallback"):
    return run_action(ActionHandleFallback(), make_tracker(text, intent=intent))


def test_fallback_answers_by_what_was_sent() -> None:
    assert fallback("") == ([], [EMPTY_MESSAGE])
    assert fallback("👍👍") == ([], [EMPTY_MESSAGE])
    assert fallback("my street light is broken", "speak_english") == ([], [SERVE_CHINESE])
    assert fallback("天气不错") == ([], [PLEASE_REPHRASE])


def test_core_fallback_forgets_the_message() -> None:
    assert fallback("你好", "greet") == ([UserUtteranceReverted()], [PLEASE_REPHRASE])


def test_fallback_sends_a_long_chinese_text_to_the_complaint_form() -> None:
    text = "这个事情已经拖了很久了，希望有关部门认真看一看，给我们老百姓一个交代"
    events, said = asyncio.run(_run_fallback(text))
    assert events == [SlotSet("description", text), FollowupAction("complaint_form")] and said == []


async def _run_fallback(text: str):
    dispatcher = CollectingDispatcher()
    events = await ActionHandleFallback().run(dispatcher, make_tracker(text, intent="nlu_fallback"), {})
    return events, dispatcher.messages


# --- consultations and long answers ---------------------------------------------------------

def test_a_consultation_needs_no_place() -> None:
    form = ValidateComplaintForm()
    tracker = make_tracker("请问公积金怎么提取", slots={"description": "请问公积金怎么提取"})
    slots = asyncio.run(form.required_slots(["description", "place"], CollectingDispatcher(), tracker, DOMAIN))
    assert slots == ["description"]
    tracker = make_tracker("路灯坏了", slots={"description": "路灯坏了"})
    slots = asyncio.run(form.required_slots(["description", "place"], CollectingDispatcher(), tracker, DOMAIN))
    assert slots == ["description", "place"]


def test_a_consultation_is_filed_without_a_place(ticketing: FakeTicketing) -> None:
    run_action(ActionFileTicket(), make_tracker(slots={"description": "请问公积金怎么提取"}))
    assert ticketing.created[0]["kind"] == "咨询" and "place" not in ticketing.created[0]


def test_a_complaint_without_a_place_is_not_filed(ticketing: FakeTicketing) -> None:
    _, said = run_action(ActionFileTicket(), make_tracker(slots={"description": "路灯坏了"}))
    assert not ticketing.created and "没有待提交" in said[0]


def test_a_long_answer_to_where_adds_to_the_description() -> None:
    answer = "在武昌区中南路附近，我们楼下新开了一家烧烤店，每天晚上营业到凌晨三四点，油烟直接往楼上飘，噪音也很大"
    slots, said = validate(answer, "place", {"description": "楼下烧烤店太吵"})
    assert slots["place"] == "武昌区中南路" and said == []
    assert slots["description"] == f"楼下烧烤店太吵\n{answer}"


def test_a_place_alone_is_kept_and_the_problem_asked_for() -> None:
    assert validate("洪山区珞喻路129号")[0] == {"description": None, "place": "洪山区珞喻路129号"}
    assert validate("在光谷广场")[0] == {"description": None, "place": "光谷广场"}


def test_category_from_the_classifier_component() -> None:
    from actions.complaint_form import category_from_message

    assert category_from_message({"category": {"level1": "城乡建设", "path": ["城乡建设", "城市建设和市政管理"]}}) == [
        "城乡建设", "城市建设和市政管理"]
    assert category_from_message({"category": {"level1": "环境保护", "confidence": 0.8}}) == ["环境保护"]
    assert category_from_message({"text": "路灯坏了"}) is None


def test_description_keeps_the_category_of_its_own_message() -> None:
    dispatcher = CollectingDispatcher()
    text = "光谷大道和高新大道路口的路灯坏了"
    tracker = make_tracker(text)
    tracker.latest_message["category"] = {"level1": "城乡建设", "path": ["城乡建设"]}
    slots = ValidateComplaintForm().validate_description(text, dispatcher, tracker, DOMAIN)
    assert slots["category_path"] == ["城乡建设"]
    assert slots["category_confidence"] is None  # the component gave none


def test_category_confidence_from_the_classifier_component() -> None:
    from actions.complaint_form import category_confidence_from_message

    assert category_confidence_from_message({"category": {"level1": "环境保护", "confidence": 0.8}}) == 0.8
    for broken in ({"category": {"level1": "环境保护"}}, {"category": {"confidence": 1.7}},
                   {"category": {"confidence": True}}, {"category": {"confidence": "0.8"}}, {"text": "路灯坏了"}):
        assert category_confidence_from_message(broken) is None, broken


def test_the_category_is_filed_with_its_confidence(ticketing: FakeTicketing) -> None:
    """The service leaves an unsure category to staff, so the confidence must travel with the category."""
    dispatcher = CollectingDispatcher()
    text = "光谷大道和高新大道路口的路灯坏了"
    tracker = make_tracker(text)
    tracker.latest_message["category"] = {"level1": "城乡建设", "path": ["城乡建设"], "confidence": 0.31}
    slots = ValidateComplaintForm().validate_description(text, dispatcher, tracker, DOMAIN)
    assert slots["category_confidence"] == 0.31
    run_action(ActionFileTicket(), make_tracker(slots={**FORM, **slots}))
    assert ticketing.created[0]["category"] == ["城乡建设"]
    assert ticketing.created[0]["category_confidence"] == 0.31
    run_action(ActionFileTicket(), make_tracker(slots={**FORM, "category_confidence": 0.9}))
    assert "category" not in ticketing.created[1] and "category_confidence" not in ticketing.created[1]
