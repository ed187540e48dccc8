"""The Rasa component RuleEntityExtractor, district normalisation with cpca, and our annotated examples."""
from __future__ import annotations

import asyncio
import glob
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.components.districts import normalise_district
from bot.components.entity_rules import build_pipeline, find_entities, load_jieba_dictionary
from bot.components.rule_entity_extractor import RuleEntityExtractor, deduplicate

REPO = Path(__file__).resolve().parents[2]
RULE_ENTITIES = ("place", "event_time", "phone", "person_name", "id_number")


@pytest.fixture(scope="module")
def extractor() -> RuleEntityExtractor:
    return RuleEntityExtractor({"dictionary_path": "bot/jieba_dict", "home_city_adcode": "4201", "max_chars": 1500})


def parse(extractor: RuleEntityExtractor, text: str, entities: Optional[List[Dict[str, Any]]] = None):
    message = Message(data={TEXT: text, ENTITIES: list(entities or [])})
    extractor.process([message])
    return message.get(ENTITIES)


# --- districts -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name, adcode", [
    ("洪山区珞喻路129号", "洪山区", "420111"),
    ("洪山珞喻路", "洪山区", "420111"),          # short form, from cpca's names
    ("江汉区唐家墩街道", "江汉区", "420103"),
    ("武汉市东西湖区金银湖", "东西湖区", "420112"),
    ("东西湖金银湖公园", "东西湖区", "420112"),
    ("青山区和平大道", "青山区", "420107"),       # also a district of 包头: the home city's wins
    ("北京市朝阳区建国路", "朝阳区", "110105"),   # another city: cpca from the full name
    ("A市A3区幸福小区", "A3区", None),            # our anonymised data
])
def test_district_is_normalised(text: str, name: str, adcode: Optional[str]) -> None:
    district = normalise_district(text)
    assert district is not None and (district.name, district.adcode) == (name, adcode)


@pytest.mark.parametrize("text", ["汉口", "光谷大道和高新大道路口", "我家楼下", "", None])
def test_no_district(text: Optional[str]) -> None:
    assert normalise_district(text) is None


def test_district_points_at_the_residents_words() -> None:
    district = normalise_district("我在洪山珞喻路")
    assert district and "我在洪山珞喻路"[district.start:district.end] == "洪山"
    assert district.city == "武汉市"


# --- the component ---------------------------------------------------------------------------

def test_component_adds_entities_with_a_district(extractor: RuleEntityExtractor) -> None:
    entities = parse(extractor, "昨天晚上8点，洪山珞喻路与鲁磨路交汇处堵死了，我叫李明，电话13900001111")
    found = [(e["entity"], e["value"], e["start"], e["end"]) for e in entities]
    assert found == [
        ("event_time", "昨天晚上8点", 0, 6),
        ("place", "洪山珞喻路与鲁磨路交汇处", 7, 19),
        ("district", "洪山区", 7, 9),
        ("person_name", "李明", 25, 27),
        ("phone", "13900001111", 30, 41),
    ]
    assert all(e["extractor"] == "RuleEntityExtractor" for e in entities)
    assert entities[2]["adcode"] == "420111"


def test_component_removes_duplicates_of_other_extractors(extractor: RuleEntityExtractor) -> None:
    text = "我的工单20261125-000001，地点是光谷广场"
    ticket = {"entity": "ticket_number", "start": 4, "end": 19, "value": "20261125-000001"}
    diet_place = {"entity": "place", "start": 22, "end": 26, "value": "光谷广场", "extractor": "DIETClassifier"}
    entities = parse(extractor, text, [
        {**ticket, "extractor": "RegexEntityExtractor"},
        {**ticket, "extractor": "DIETClassifier"},
        diet_place,
    ])
    kinds = [(e["entity"], e["extractor"]) for e in entities]
    assert kinds == [("ticket_number", "RegexEntityExtractor"), ("place", "RuleEntityExtractor")]


def test_deduplicate_keeps_different_kinds_and_spans() -> None:
    a = {"entity": "place", "start": 0, "end": 2, "value": "汉口", "extractor": "X"}
    b = {"entity": "district", "start": 0, "end": 2, "value": "江汉区", "extractor": "X"}
    c = {"entity": "place", "start": 5, "end": 7, "value": "武昌", "extractor": "X"}
    assert deduplicate([c, a, b, dict(a)], "Rule") == [a, b, c]


def test_component_reads_only_the_start_of_a_long_letter() -> None:
    short = RuleEntityExtractor({"max_chars": 20})
    text = "您好" * 20 + "，武昌区中南路12号的餐馆油烟很大"
    assert parse(short, text) == []


# --- our annotated training examples ---------------------------------------------------------

def annotated_examples() -> List[Message]:
    examples: List[Message] = []
    for path in sorted(glob.glob(str(REPO / "data" / "nlu" / "*.yml"))):
        examples += [m for m in load_data(path).training_examples if m.get(TEXT)]
    return examples


def test_annotations_are_what_the_component_finds() -> None:
    """Every example's place/time/phone/name annotations equal the component's findings, exactly."""
    nlp = build_pipeline()
    mismatches = []
    for example in annotated_examples():
        text = example.get(TEXT)
        gold = sorted((e["entity"], e["start"], e["end"], e["value"]) for e in example.get(ENTITIES) or []
                      if e["entity"] in RULE_ENTITIES)
        found = sorted((f.entity, f.start, f.end, f.value) for f in find_entities(text, nlp))
        if gold != found:
            mismatches.append((text, gold, found))
    assert not mismatches, mismatches[:5]
    assert sum(1 for m in annotated_examples() for e in m.get(ENTITIES) or [] if e["entity"] == "place") >= 40


def test_place_annotations_start_and_end_on_jieba_tokens() -> None:
    """RASA_NOTES: an annotation whose boundary falls inside a jieba word is dropped silently by DIET."""
    import jieba

    load_jieba_dictionary(REPO / "bot" / "jieba_dict")
    misaligned = []
    for example in annotated_examples():
        text = example.get(TEXT)
        bounds, at = {0}, 0
        for token in jieba.lcut(text):
            at += len(token)
            bounds.add(at)
        for entity in example.get(ENTITIES) or []:
            if entity["entity"] in ("place", "ticket_number") and not {entity["start"], entity["end"]} <= bounds:
                misaligned.append((text, entity["value"]))
    assert not misaligned


def test_entities_in_the_test_stories_are_what_the_component_finds() -> None:
    """The stories' annotated user turns (tests/bot/test_stories_entities.yml) match the component."""
    import yaml
    from rasa.shared.nlu.training_data.entities_parser import parse_training_example

    nlp = build_pipeline()
    stories = yaml.safe_load((REPO / "tests" / "bot" / "test_stories_entities.yml").read_text(encoding="utf-8"))
    turns = [step["user"].strip() for story in stories["stories"] for step in story["steps"] if "user" in step]
    annotated = [parse_training_example(turn) for turn in turns if "](" in turn or "]{" in turn]
    assert len(annotated) >= 8
    for example in annotated:
        gold = sorted((e["entity"], e["start"], e["end"], e["value"]) for e in example.get(ENTITIES) or []
                      if e["entity"] in RULE_ENTITIES)
        found = sorted((f.entity, f.start, f.end, f.value) for f in find_entities(example.get(TEXT), nlp))
        assert gold == found, example.get(TEXT)


# --- through the trained model ---------------------------------------------------------------

@pytest.mark.rasa
def test_trained_model_returns_the_entities(trained_model: Path) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))
    parsed = asyncio.run(agent.parse_message("不对，是在洪山珞喻路，时间是上周三下午，电话13812345678"))
    found = {(e["entity"], e["value"]) for e in parsed["entities"]}
    assert {("place", "洪山珞喻路"), ("district", "洪山区"), ("event_time", "上周三下午"),
            ("phone", "13812345678")} <= found
    status = asyncio.run(agent.parse_message("我的工单20261125-000001办得怎么样了"))
    tickets = [e for e in status["entities"] if e["entity"] == "ticket_number"]
    assert [e["value"] for e in tickets] == ["20261125-000001"]
    assert not [e for e in status["entities"] if e["entity"] == "phone"]
