"""Consultations, adding information, rating and hand-off against the fake ticketing service."""
from __future__ import annotations

from actions.consultation import ActionAnswerConsultation
from actions.filing import ActionFileTicket, ticket_payload
from actions.handoff import ActionHandoff
from actions.kb import KnowledgeBase, knowledge_base
from actions.rating import ActionRateAnswer, read_rating
from actions.supplement import ActionSupplement, supplement_note
from actions.ticketing_client import TicketingError
from tests.bot.helpers import FakeTicketing, make_tracker, run_action

NUMBER = "20261125-000001"


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- knowledge base ----------------------------------------------------------------------------

def test_knowledge_base_has_our_entries() -> None:
    kb = KnowledgeBase.from_file()
    assert 25 <= len(kb.entries) <= 40
    assert len({e.id for e in kb.entries}) == len(kb.entries)


def test_paraphrases_find_their_answer_and_strangers_do_not() -> None:
    kb = knowledge_base()
    for question, entry in [("租房能提公积金吗", "housing-fund-withdraw"), ("居住证去哪办", "residence-permit"),
                            ("孩子出生了怎么上户口", "household-newborn"), ("社保卡丢了", "social-insurance-card")]:
        assert kb.answer(question).entry.id == entry, question
    for question in ("请问离婚需要什么材料", "咨询一下残疾证怎么办理", "请问武汉的地铁几点停运"):
        assert kb.answer(question) is None, question


def test_consultation_answered_and_recorded_as_direct_answer(ticketing: FakeTicketing) -> None:
    ticketing.created_state = "已办结"
    events, said = run_action(ActionAnswerConsultation(), make_tracker("请问公积金怎么提取", intent="consult"))
    assert "公积金" in said[0] and "以相关部门最新规定为准" in said[0] and NUMBER in said[1]
    created = ticketing.created[0]
    assert created["kind"] == "咨询" and created["direct_answer"] == said[0] and "category" not in created
    assert not ticketing.transitions  # answered on create, in one transaction
    assert slots_of(events) == {"kb_answered": True, "ticket_number": NUMBER}


def test_answer_is_given_even_when_recording_fails(ticketing: FakeTicketing) -> None:
    ticketing.error = TicketingError("HTTP 422")
    events, said = run_action(ActionAnswerConsultation(), make_tracker("居住证怎么办理", intent="consult"))
    assert len(said) == 1 and "居住证" in said[0] and slots_of(events) == {"kb_answered": True}


def test_unknown_consultation_goes_to_the_form_as_a_consultation(ticketing: FakeTicketing) -> None:
    events, said = run_action(ActionAnswerConsultation(), make_tracker("请问养犬证怎么办", intent="consult"))
    assert slots_of(events) == {"kb_answered": False, "description": "请问养犬证怎么办", "request_kind": "咨询"}
    assert "咨询工单" in said[0] and not ticketing.created


# --- filing with details ---------------------------------------------------------------------

def test_payload_carries_time_contact_and_category() -> None:
    payload = ticket_payload({"description": "路灯坏了", "place": "光谷广场", "event_time": "昨晚",
                              "contact_name": "张先生", "contact_phone": "13812345678",
                              "category_path": ["城乡建设"]}, "c1")
    assert payload["event_time"] == "昨晚" and payload["contact_phone"] == "13812345678"
    assert payload["anonymous"] is False and payload["category"] == ["城乡建设"]


def test_no_contact_is_filed_anonymously() -> None:
    payload = ticket_payload({"description": "路灯坏了", "place": "光谷广场"}, "c1")
    assert payload["anonymous"] is True and "contact_phone" not in payload and "category" not in payload


def test_next_queued_problem_starts_the_form_again(ticketing: FakeTicketing) -> None:
    slots = {"description": "光谷广场的路灯坏了", "place": "光谷广场", "queued_problems": ["井盖丢了"]}
    events, said = run_action(ActionFileTicket(), make_tracker(slots=slots))
    assert "井盖丢了" in said[1]
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "complaint_form"
    assert slots_of(events)["description"] == "井盖丢了" and slots_of(events)["place"] == "光谷广场"


# --- supplement ------------------------------------------------------------------------------

def test_supplement_note() -> None:
    assert supplement_note(f"补充一下，工单{NUMBER}，晚上十点以后噪音最大") == "晚上十点以后噪音最大"
    assert supplement_note("我想补充一下刚才的问题：施工单位是中建三局") == "施工单位是中建三局"


def test_supplement_to_the_ticket_of_this_conversation(ticketing: FakeTicketing) -> None:
    tracker = make_tracker("补充一下，灯杆也歪了", slots={"ticket_number": NUMBER}, intent="supplement")
    _, said = run_action(ActionSupplement(), tracker)
    assert ticketing.transitions == [{"number": NUMBER, "action": "supplement", "role": "resident",
                                      "actor": "市民（在线对话）", "note": "灯杆也歪了"}]
    assert NUMBER in said[0]


def test_supplement_without_number_or_text_asks(ticketing: FakeTicketing) -> None:
    assert "工单编号" in run_action(ActionSupplement(), make_tracker("补充一下，灯杆歪了"))[1][0]
    assert "补充" in run_action(ActionSupplement(), make_tracker(f"补充一下 {NUMBER}"))[1][0]
    assert not ticketing.transitions


def test_supplement_refused_is_explained(ticketing: FakeTicketing) -> None:
    ticketing.transition_error = TicketingError("HTTP 409", "transition_not_allowed", "工单当前状态为“已归档”，不能补充信息。")
    _, said = run_action(ActionSupplement(), make_tracker(f"补充一下，工单{NUMBER}，又坏了"))
    assert "已归档" in said[0]


def test_unauthorised_bot_is_told_plainly(ticketing: FakeTicketing) -> None:
    ticketing.transition_error = TicketingError("HTTP 401", "not_signed_in", "请先登录。")
    _, said = run_action(ActionSupplement(), make_tracker(f"补充一下，工单{NUMBER}，又坏了"))
    assert "12345" in said[0] and "登录" not in said[0]


# --- rating ----------------------------------------------------------------------------------

def test_read_rating() -> None:
    assert read_rating(f"我对工单{NUMBER}的答复不满意，问题根本没解决") == ("不满意", "问题根本没解决")
    assert read_rating("基本满意") == ("基本满意", "")
    assert read_rating("非常满意，效率很高") == ("满意", "效率很高")
    assert read_rating("你好")[0] is None


def test_unsatisfied_rating_reopens(ticketing: FakeTicketing) -> None:
    _, said = run_action(ActionRateAnswer(), make_tracker(f"我对工单{NUMBER}的答复不满意，问题根本没解决"))
    actions = [(t["action"], t.get("rating"), t.get("reason")) for t in ticketing.transitions]
    assert actions == [("follow_up", "不满意", None), ("reopen", None, "市民不满意：问题根本没解决")]
    assert ticketing.transitions[1]["role"] == "system"  # the resident's 不满意, carried out by the bot
    assert "重新办理" in said[0]


def test_satisfied_rating_of_this_conversation(ticketing: FakeTicketing) -> None:
    _, said = run_action(ActionRateAnswer(), make_tracker("满意", slots={"ticket_number": NUMBER}))
    assert [t["action"] for t in ticketing.transitions] == ["follow_up"] and "满意" in said[0]


def test_rating_without_number_asks(ticketing: FakeTicketing) -> None:
    assert "编号" in run_action(ActionRateAnswer(), make_tracker("满意"))[1][0]


# --- hand-off --------------------------------------------------------------------------------

def test_handoff_gives_the_hotline_and_flags_the_ticket(ticketing: FakeTicketing) -> None:
    _, said = run_action(ActionHandoff(), make_tracker("转人工", slots={"ticket_number": NUMBER}))
    assert "12345" in said[0] and "24小时" in said[0] and NUMBER in said[0]
    assert ticketing.transitions[0]["action"] == "internal_note"


def test_handoff_without_a_ticket(ticketing: FakeTicketing) -> None:
    _, said = run_action(ActionHandoff(), make_tracker("转人工"))
    assert "12345" in said[0] and not ticketing.transitions


def test_a_ticket_of_another_conversation_cannot_be_rated(ticketing: FakeTicketing) -> None:
    ticketing.tickets[NUMBER] = {**ticketing.tickets[NUMBER], "conversation_id": "someone-else"}
    _, said = run_action(ActionRateAnswer(), make_tracker(f"工单{NUMBER}不满意"))
    assert "隐私" in said[0] and not ticketing.transitions


def test_a_second_rating_of_the_same_answer_is_refused_politely(ticketing: FakeTicketing) -> None:
    ticketing.tickets[NUMBER] = {**ticketing.tickets[NUMBER], "state": "已回访", "rating": "基本满意"}
    _, said = run_action(ActionRateAnswer(), make_tracker(f"工单{NUMBER}不满意，还是没修好"))
    assert "已经评价过了（基本满意）" in said[0] and "只能评价一次" in said[0]
    assert not ticketing.transitions
