"""The rule entities (bot/components/entity_rules.py): exact spans per entity type, and what is no entity."""
from __future__ import annotations

from typing import List, Tuple

import pytest

from bot.components.entity_rules import build_pipeline, find_entities, token_class


def spans(text: str, entity: str) -> List[Tuple[str, str]]:
    """(text, value) of each entity of one kind, in order."""
    return [(f.text, f.value) for f in find_entities(text, build_pipeline()) if f.entity == entity]


def exact(text: str, entity: str) -> List[str]:
    """The characters each entity of one kind covers, checked against its offsets."""
    found = [f for f in find_entities(text, build_pipeline()) if f.entity == entity]
    for f in found:
        assert text[f.start:f.end] == f.text
    return [f.text for f in found]


@pytest.mark.parametrize("text, places", [
    # roads 路/街/大道, with house numbers
    ("洪山区珞喻路129号的井盖不见了", ["洪山区珞喻路129号"]),
    ("江夏区文化大道上的减速带被压坏了", ["江夏区文化大道"]),
    ("徐东大街有人占道经营", ["徐东大街"]),
    ("硚口区宝丰路上的公交站牌被撞坏了", ["硚口区宝丰路"]),
    # junctions 路口/交叉口/与…交汇
    ("今天光谷大道和高新大道路口的路灯坏了", ["光谷大道和高新大道路口"]),
    ("青山区和平大道与建设二路交叉口的信号灯一直是红灯", ["青山区和平大道与建设二路交叉口"]),
    ("珞喻路与鲁磨路交汇处天天堵车", ["珞喻路与鲁磨路交汇处"]),
    # compounds 小区/花园/苑/城, buildings 栋/单元/号楼
    ("关山大道保利花园小区的物业不作为", ["关山大道保利花园小区"]),
    ("江夏区藏龙岛联投花园3号楼电梯坏了", ["江夏区藏龙岛联投花园3号楼"]),
    ("上周三下午有人在A3区幸福小区5栋2单元门口烧垃圾", ["A3区幸福小区5栋2单元"]),
    # districts and streets 区/街道
    ("我家住在江汉区唐家墩街道，楼下的垃圾没人收", ["江汉区唐家墩街道"]),
    ("蔡甸区奓山街道星光村的路灯不亮", ["蔡甸区奓山街道星光村"]),
    ("A市A5区人民路88号", ["A市A5区人民路88号"]),
    # known place words from the dictionary
    ("不对，是在汉口", ["汉口"]),
    ("在汉阳区钟家村地铁站旁边", ["汉阳区钟家村地铁站"]),
    # two places in one answer, both found
    ("就在我们小区，叫保利花园，在关山大道上", ["保利花园", "关山大道"]),
    # no place: vague or generic words, verbs before 路, measure words
    ("我们小区门口的垃圾好几天没人清运了", []),
    ("我家住3栋2单元，楼道灯坏了一个月", []),
    ("培训机构收了学费就关门跑路了", []),
    ("这条路上的限速40公里太低了", []),
    ("路口的红绿灯坏了", []),
])
def test_place(text: str, places: List[str]) -> None:
    assert exact(text, "place") == places


@pytest.mark.parametrize("text, times", [
    ("昨天晚上8点，张先生 13812345678", ["昨天晚上8点"]),
    ("每天早上6点就开始施工", ["每天早上6点"]),
    ("上周三下午有人在小区门口烧垃圾", ["上周三下午"]),
    ("光谷大道和高新大道路口的路灯坏了一个多星期了", ["一个多星期了"]),
    ("从9月1日起小区就没有热水供应了", ["9月1日"]),
    ("老板拖欠我们三个月工资不发", ["三个月"]),
    ("６月２１日又停电了", ["６月２１日"]),
    # not times: "一点" (a little), a greeting, "刚才的问题"
    ("暖气一点都不热", []),
    ("早上好", []),
    ("再帮我登记一下刚才的问题", []),
    ("解放大道688号3号楼门口的井盖丢了", []),
])
def test_event_time(text: str, times: List[str]) -> None:
    assert exact(text, "event_time") == times


@pytest.mark.parametrize("text, phones", [
    ("张先生 13812345678", [("13812345678", "13812345678")]),
    ("我姓王，手机号是027-85551234", [("027-85551234", "02785551234")]),
    ("+86 139 0000 1111", [("+86 139 0000 1111", "13900001111")]),
    ("联系人刘女士，座机85551234", [("85551234", "85551234")]),
    # an attempt that is no valid number is still a phone entity: the form explains and asks again
    ("电话1381234", [("1381234", "1381234")]),
    ("电话是123", [("123", "123")]),
    # ticket numbers and house numbers are no phone numbers
    ("我的工单20261125-000001办得怎么样了", []),
    ("解放大道1008号", []),
])
def test_phone(text: str, phones: List[Tuple[str, str]]) -> None:
    assert spans(text, "phone") == phones


@pytest.mark.parametrize("text, names", [
    ("我叫李明，电话13900001111", [("李明", "李明")]),
    ("我姓王，手机号是027-85551234", [("王", "王先生/女士")]),
    ("姓陈，电话13607150000", [("陈", "陈先生/女士")]),
    ("昨天晚上8点，张先生 13812345678", [("张先生", "张先生")]),
    ("联系人刘女士，座机85551234", [("刘女士", "刘女士")]),
    ("我是王女士", [("王女士", "王女士")]),
    # no names: a role, the word 姓名 itself
    ("我是小区的业主", []),
    ("姓名不方便留", []),
])
def test_person_name(text: str, names: List[Tuple[str, str]]) -> None:
    assert spans(text, "person_name") == names


def test_entities_come_in_order_and_do_not_overlap() -> None:
    found = find_entities("上周三下午，A市A5区人民路88号有人烧垃圾，我叫李明，电话13900001111", build_pipeline())
    assert [f.entity for f in found] == ["event_time", "place", "person_name", "phone"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_token_classes() -> None:
    assert token_class("珞喻路") == "SUFFIXED"
    assert token_class("小区") == "SUFFIX"
    assert token_class("交叉口") == "JUNCTION"
    assert token_class("和") == "CONNECTOR"
    assert token_class("跑路") == "GENERIC"
    assert token_class("我们") == "O"
    assert token_class("A3") == "ANON"
    assert token_class("栋") == "NUMBER_SUFFIX"
    assert token_class("市县") == "GENERIC"
    assert token_class("129") == "NUMBER"


def test_long_letters_and_empty_texts() -> None:
    nlp = build_pipeline()
    assert find_entities("", nlp) == []
    letter = "您好，" + "我们楼下的烧烤店每天晚上营业到凌晨，" * 300 + "地址是武昌区中南路12号。"
    assert [f.text for f in find_entities(letter, nlp) if f.entity == "place"] == ["武昌区中南路12号"]
