"""The complaint form reads the NLU entities first, and falls back to its heuristics without them.

The entities in these trackers are the real component's output for the message (not written by hand),
so a change in the rules shows here as a change in what the form does.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import ValidateComplaintForm, entity_details
from actions.parsing import entity_values, place_from_entities
from bot.components.entity_rules import build_pipeline, find_entities
from bot.components.rule_entity_extractor import entity_dicts
from tests.bot.helpers import make_tracker

DOMAIN: Dict[str, Any] = {"forms": {"complaint_form": {"required_slots": ["description", "place", "confirmed"]}}}


def nlu_entities(text: str) -> List[Dict[str, Any]]:
    """What RuleEntityExtractor puts on the message."""
    return entity_dicts(text, find_entities(text, build_pipeline()), "4201", "RuleEntityExtractor")


def validate(value: str, slot: str, slots: Optional[Dict[str, Any]] = None,
             entities: Optional[List[Dict[str, Any]]] = None) -> Tuple[Dict[str, Any], List[str]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(value, slots, nlu_entities(value) if entities is None else entities)
    result = getattr(ValidateComplaintForm(), f"validate_{slot}")(value, dispatcher, tracker, DOMAIN)
    return result, [m.get("text") for m in dispatcher.messages]


def test_entity_readers() -> None:
    message = {"entities": nlu_entities("就在我们小区，叫保利花园，在关山大道上，电话13812345678")}
    assert entity_values(message, "place") == ["保利花园", "关山大道"]
    assert place_from_entities(message) == "保利花园"  # the longest; the first of equals
    assert place_from_entities(message, within="关山大道旁边") == "关山大道"
    assert entity_values({}, "place") == [] and place_from_entities(None) is None
    # a place with a district wins over a longer one without
    letter = {"entities": nlu_entities("作为一名家长，我觉得光谷实验学校门口太乱，我家在A5区")}
    assert place_from_entities(letter) == "A5区"


def test_first_message_fills_place_time_and_contact_from_entities() -> None:
    text = "昨天晚上8点，洪山区珞喻路与鲁磨路交汇处的井盖不见了，我叫李明，电话13900001111"
    slots, said = validate(text, "description")
    assert said == []
    assert slots["place"] == "洪山区珞喻路与鲁磨路交汇处"
    assert slots["event_time"] == "昨天晚上8点"
    assert (slots["contact_name"], slots["contact_phone"], slots["anonymous"]) == ("李明", "13900001111", False)


def test_entities_come_first() -> None:
    """An entity the heuristics would not find wins: the place named by the extractor is used."""
    text = "路灯坏了"
    entities = [{"entity": "place", "value": "灯坏", "start": 1, "end": 3}]
    assert validate(text, "description", entities=entities)[0]["place"] == "灯坏"


def test_heuristics_refine_an_entity_they_contain() -> None:
    text = "洪山区珞喻路129号的井盖不见了"
    entities = [{"entity": "place", "value": "珞喻路", "start": 3, "end": 6}]
    assert validate(text, "description", entities=entities)[0]["place"] == "洪山区珞喻路129号"


def test_without_entities_the_heuristics_still_read_the_message() -> None:
    text = "光谷大道和高新大道路口的路灯坏了一个多星期了，我是王女士13900001111"
    slots, _ = validate(text, "description", entities=[])
    assert slots["place"] == "光谷大道和高新大道路口"
    assert slots["event_time"] == "一个多星期了"
    assert slots["contact_phone"] == "13900001111"


def test_an_invalid_phone_in_the_first_message_is_not_stored() -> None:
    slots, _ = validate("武昌区中南路12号的餐馆油烟很大，电话1381234", "description")
    assert "contact_phone" not in slots


def test_place_answer_from_the_entity_when_the_heuristics_reject_it() -> None:
    # "藏龙岛" has no place suffix the heuristics know; the extractor knows it from the dictionary.
    assert validate("藏龙岛", "place", entities=[])[0] == {"place": None}
    slots, said = validate("藏龙岛", "place")
    assert slots == {"place": "藏龙岛"} and said == []


def test_short_place_answer_keeps_the_residents_words() -> None:
    assert validate("在汉阳区钟家村地铁站旁边", "place")[0] == {"place": "汉阳区钟家村地铁站旁边"}


def test_long_place_answer_takes_the_entity() -> None:
    answer = "就在洪山区珞喻路与鲁磨路交汇处，那边晚上车特别多，路灯又不亮，昨天还有人差点被撞了，希望尽快处理一下"
    slots, _ = validate(answer, "place", {"description": "路灯不亮"})
    assert slots["place"] == "洪山区珞喻路与鲁磨路交汇处"
    assert slots["description"].endswith(answer)


def test_correction_at_the_place_question() -> None:
    assert validate("不对，是在汉口", "place")[0] == {"place": "汉口"}
    assert validate("地点不对，是在武昌区中南路", "place")[0] == {"place": "武昌区中南路"}


def test_dont_know_is_still_asked_again() -> None:
    slots, said = validate("不知道", "place")
    assert slots == {"place": None} and said


SUMMARY_SLOTS = {"description": "油烟很大", "place": "武昌区中南路12号", "details_invited": True}


def test_summary_answer_time_and_contact_from_entities() -> None:
    slots, _ = validate("上周三下午，我姓王，电话027-85551234", "confirmed", SUMMARY_SLOTS)
    assert slots["event_time"] == "上周三下午"
    assert slots["contact_phone"] == "02785551234"
    assert slots["contact_name"] == "王先生/女士"
    assert slots["confirmed"] is None


def test_time_correction_replaces_the_time() -> None:
    slots, _ = validate("时间不对，是昨天", "confirmed", {**SUMMARY_SLOTS, "event_time": "上周三"})
    assert slots["event_time"] == "昨天" and slots["confirmed"] is None


def test_place_correction_replaces_the_place() -> None:
    slots, _ = validate("不对，是在汉口", "confirmed", SUMMARY_SLOTS)
    assert slots["place"] == "汉口"


def test_invalid_phone_at_the_summary_is_asked_again() -> None:
    slots, said = validate("电话1381234", "confirmed", SUMMARY_SLOTS)
    assert "contact_phone" not in slots and slots["confirmed"] is None
    assert said and "1381234" in said[0]


def test_entity_details_skips_invalid_numbers_and_other_texts() -> None:
    message = {"entities": nlu_entities("电话1381234，昨天")}
    assert entity_details(message, "电话1381234，昨天") == {"event_time": "昨天"}
    assert entity_details(message, "别的话") == {}
