"""Letters that open with who is writing are filed, their details fill the form, ID numbers stay masked.

The entities in these trackers are the real component's output for the message (tests/bot/
test_form_entities.py does the same), so a change in the rules shows here as a change in the form.
"""
from __future__ import annotations

import asyncio
import glob
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import ValidateComplaintForm
from actions.confirmation import summary_text
from actions.details import find_phone_attempt, read_contact
from actions.filing import ticket_payload
from actions.self_introduction import ActionReadDetails, problem_part, tells_a_problem
from bench.first_turn_intents import starts_filing
from bench.self_intro_variants import templates
from bot.channels.guard import MessageGuard
from bot.components.entity_rules import build_pipeline, find_entities
from bot.components.rule_entity_extractor import entity_dicts
from tests.bot.helpers import make_tracker, run_action

REPO = Path(__file__).resolve().parents[2]
ISSUE = "我叫张三，电话13912345678，身份证420102199001011234，住在洪山区珞喻路锦绣小区3栋201，楼上漏水到我家天花板"
ID_NUMBER = "11010519491231002X"  # GB 11643's own example
DOMAIN: Dict[str, Any] = {"forms": {"complaint_form": {"required_slots": ["description", "place", "confirmed"]}}}


def nlu_entities(text: str) -> List[Dict[str, Any]]:
    return entity_dicts(text, find_entities(text, build_pipeline()), "4201", "RuleEntityExtractor")


@pytest.mark.parametrize("text", [
    ISSUE,
    "楼上漏水到我家天花板，我叫张三，电话13912345678",
    "尊敬的领导您好，我叫王五，家住江汉区解放大道100号，我家附近工地晚上施工噪音扰民",
    "我是锦绣小区业主，楼下餐馆油烟太大",
    "王五，13800001111，路灯坏了",
    "张三 13800001111 漏水了",
    "我是业主漏水了",
])
def test_a_problem_after_the_details_is_found(text: str) -> None:
    assert tells_a_problem(text), problem_part(text)


@pytest.mark.parametrize("text", [
    "我叫张三，电话13912345678", "尊敬的领导您好，我叫王五，家住江汉区解放大道100号", "王五，13800001111",
    f"身份证{ID_NUMBER}", "您好，我是锦绣小区的业主", "谢谢", "本人李四，联系电话13800001111", "我姓李，电话138 0000 1111",
    "联系人：张三 13800001111，谢谢！", "家住洪山区珞喻路锦绣小区3栋201，联系人张三，手机13912345678，谢谢！",
    "昨天晚上8点，张先生 13812345678", "不记得是哪天了", "匿名", "",
])
def test_details_alone_are_no_problem(text: str) -> None:
    assert not tells_a_problem(text), problem_part(text)


def _examples(intent: str, path: str = "data/nlu/*.yml") -> List[str]:
    found = []
    for name in sorted(glob.glob(str(REPO / path))):
        found += [m.get(TEXT) for m in load_data(name).training_examples if m.get(INTENT) == intent]
    return found


def test_the_training_examples_agree_with_the_reading() -> None:
    """Every inform_details example is details only; every complaint written with details tells a problem."""
    assert [t for t in _examples("inform_details") if tells_a_problem(t)] == []
    complaints = _examples("report_problem", "data/nlu/self_introductions.yml")
    assert len(complaints) >= 30 and [t for t in complaints if not tells_a_problem(t)] == []


def test_the_measuring_templates_stay_out_of_the_training_examples() -> None:
    """Frozen split: no piece (4+ characters) of bench/self_intro_variants.py's own words is trained on."""
    pieces = {piece for before, after in templates().values()
              for piece in re.split(r"\{\w+\}", before + "{x}" + after) if len(piece) >= 4}
    assert len(pieces) >= 10
    texts = [m.get(TEXT) for m in load_data(str(REPO / "data/nlu/self_introductions.yml")).training_examples]
    assert [(p, t) for t in texts for p in pieces if p in t] == []


def test_contact_details_with_a_problem_start_the_form() -> None:
    events, said = run_action(ActionReadDetails(), make_tracker(ISSUE, intent="inform_details"))
    assert events == [SlotSet("problem_in_details", True), SlotSet("description", ISSUE)] and said == []
    assert starts_filing("inform_details", ISSUE) and not starts_filing("inform_details", "13812345678")


@pytest.mark.parametrize("text, intent, starts", [
    ("尊敬的领导您好，我叫赵刚，楼下的下水道堵了一个星期了，污水漫到路上", "greet", True),
    ("谢谢你们！我是青山区某小区的住户，小区外墙的瓷砖一直往下掉", "thank", True),
    ("您好，请问有人在吗", "greet", False),
    ("太感谢了，路灯已经修好了", "thank", False),
])
def test_greetings_and_thanks_start_the_form_only_with_a_writer_and_a_problem(text: str, intent: str,
                                                                             starts: bool) -> None:
    events, said = run_action(ActionReadDetails(), make_tracker(text, intent=intent))
    assert said == []
    assert SlotSet("problem_in_details", starts) in events
    assert (SlotSet("description", text) in events) == starts


def test_contact_details_alone_are_kept_for_the_complaint_to_come() -> None:
    events, _ = run_action(ActionReadDetails(), make_tracker("我叫张三，电话13912345678", intent="inform_details"))
    assert SlotSet("problem_in_details", False) in events
    assert SlotSet("contact_phone", "13912345678") in events and SlotSet("contact_name", "张三") in events


def test_the_issues_letter_fills_the_form() -> None:
    """Name, phone and place from the same message; the ID number is no phone and not the name."""
    tracker = make_tracker(ISSUE, entities=nlu_entities(ISSUE))
    slots = ValidateComplaintForm().validate_description(ISSUE, CollectingDispatcher(), tracker, DOMAIN)
    assert (slots["contact_name"], slots["contact_phone"]) == ("张三", "13912345678")
    assert slots["place"].startswith("洪山区珞喻路锦绣小区3栋")


def test_the_id_number_is_recognised_and_never_a_phone() -> None:
    text = f"身份证{ID_NUMBER} 13800001111，还有订单号123456789012345678"
    found = [(f.entity, f.value) for f in find_entities(text)]
    assert found == [("id_number", "110105********002X"), ("phone", "13800001111")]  # the order is no phone
    assert find_phone_attempt(f"身份证{ID_NUMBER}，电话13912345678") == "13912345678"
    assert find_phone_attempt("订单号123456789012345678，电话13912345678") == "13912345678"
    assert find_phone_attempt("工资拖欠了3个月共计120000元。联系电话13912345678。") == "13912345678"
    assert read_contact(f"身份证420102********1234，电话13912345678").updates["contact_phone"] == "13912345678"
    masked = nlu_entities("身份证420102********1234，手机13800001111")
    assert [(e["entity"], e["value"]) for e in masked] == [("id_number", "420102********1234"), ("phone", "13800001111")]


@pytest.mark.parametrize(("text", "name"), [
    ("您好，我是武昌区的居民张明，联系电话13807197397", "张明"), ("陈杰，14881879257，住在江汉区", "陈杰"),
    ("本人徐娜，楼下很吵", "徐娜"), ("业主胡先生（电话13607161234）", "胡先生"),
])
def test_names_after_a_role_or_before_a_mobile(text: str, name: str) -> None:
    assert [f.value for f in find_entities(text) if f.entity == "person_name"] == [name]


@pytest.mark.parametrize("text", ["本人认为，这样不对", "我是王府井小区业主", "漏水了，13800001111", "我是高三的，学校乱收费"])
def test_no_name_where_there_is_none(text: str) -> None:
    assert [f.value for f in find_entities(text) if f.entity == "person_name"] == []


def test_the_summary_and_the_ticket_never_show_the_id_number() -> None:
    slots = {"description": f"身份证{ID_NUMBER}，电话13912345678，楼上漏水", "place": "洪山区珞喻路",
             "contact_phone": "13912345678"}
    summary = summary_text(slots, invite_details=False)
    assert "110105＊＊＊＊＊＊＊＊002X" in summary and "139＊＊＊＊5678" in summary  # inert() defuses "*"
    assert "19491231" not in summary and "13912345678" not in summary
    payload = ticket_payload(slots, "resident-1")
    assert payload["description"] == "身份证110105********002X，电话13912345678，楼上漏水"


def test_the_chat_channel_masks_id_numbers_before_the_model_sees_them() -> None:
    seen: List[str] = []

    async def handle(message: UserMessage) -> None:
        seen.append(message.text)

    guarded = MessageGuard().wrap(handle)
    asyncio.run(guarded(UserMessage(f"身份证 {ID_NUMBER}，电话13912345678", CollectingOutputChannel(), "r-1")))
    assert seen == ["身份证 110105********002X，电话13912345678"]

