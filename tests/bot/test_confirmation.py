"""The summary before filing and what each answer to it does."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import ValidateComplaintForm
from actions.confirmation import ActionAskConfirmed, read_answer, summary_text
from actions.replies import ASK_WHAT_TO_CHANGE, NOT_UNDERSTOOD_CONFIRMATION
from tests.bot.helpers import make_tracker, run_action

SLOTS = {"description": "光谷广场的路灯坏了", "place": "光谷广场"}


def test_summary_invites_missing_details_once() -> None:
    first = summary_text(SLOTS, invite_details=True)
    assert "问题：光谷广场的路灯坏了" in first and "地点：光谷广场" in first and "时间：未说明" in first
    assert "匿名" in first and "确认" in first and "算了" in first
    assert "如需补充" not in summary_text(SLOTS, invite_details=False)


def test_summary_masks_the_phone_and_defuses_markup() -> None:
    text = summary_text({**SLOTS, "description": "<b>灯</b>", "contact_phone": "13812345678",
                         "contact_name": "张先生"}, True)
    assert "张先生 138****5678" in text and "<b>" not in text and "如需补充发生时间，" in text


def test_answers() -> None:
    assert read_answer("确认", SLOTS).confirmed
    assert read_answer("不对", SLOTS).say == [ASK_WHAT_TO_CHANGE]
    assert read_answer("不对，是在汉口", SLOTS).updates == {"place": "汉口"}
    assert read_answer("不清楚", SLOTS).updates == {"event_time": "不清楚"}
    bad = read_answer("张三 1381234", SLOTS)
    assert bad.asked and "1381234" in bad.say[0] and not bad.updates
    both = read_answer("昨天下午三点，王女士13900001111，确认提交", SLOTS)
    assert both.confirmed and both.updates["event_time"] == "昨天下午三点"
    assert read_answer("江汉区汉口火车站东广场", SLOTS).updates == {"place": "江汉区汉口火车站东广场"}
    assert read_answer("嗯？？你说啥呀这是什么东西啊我不太懂", SLOTS).say == [NOT_UNDERSTOOD_CONFIRMATION]


def test_validate_confirmed_sets_true_only_for_yes() -> None:
    form = ValidateComplaintForm()
    dispatcher = CollectingDispatcher()
    slots = form.validate_confirmed("确认", dispatcher, make_tracker("确认", SLOTS), {})
    assert slots == {"confirmed": True, "skip_summary": False}
    slots = form.validate_confirmed("匿名", dispatcher, make_tracker("匿名", SLOTS), {})
    assert slots["confirmed"] is None and slots["anonymous"] is True


def test_ask_shows_summary_unless_a_question_was_just_asked() -> None:
    events, said = run_action(ActionAskConfirmed(), make_tracker(slots=SLOTS))
    assert "请核对" in said[0] and events[0]["name"] == "details_invited"
    events, said = run_action(ActionAskConfirmed(), make_tracker(slots={**SLOTS, "skip_summary": True}))
    assert said == [] and events[0]["name"] == "skip_summary"
