"""Place extraction from complaints and checks of answers to "where?"."""
from __future__ import annotations

import pytest

from actions.places import extract_place, place_problem


@pytest.mark.parametrize(
    "text, place",
    [
        ("光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑", "光谷大道和高新大道路口"),
        ("洪山区珞喻路129号附近有个井盖丢了", "洪山区珞喻路129号"),
        ("我家住在江汉区唐家墩街道红旗社区，楼下餐馆油烟很大", "江汉区唐家墩街道红旗社区"),
        ("关山大道保利花园小区门口垃圾好多天没人清运", "关山大道保利花园小区"),
        ("青山区和平大道与建设二路交叉口红绿灯坏了", "青山区和平大道与建设二路交叉口"),
        ("汉阳区钟家村附近夜间施工噪音太大", "汉阳区钟家村"),
        ("江夏区藏龙岛联投花园3栋2单元电梯坏了", "江夏区藏龙岛联投花园3栋2单元"),
        ("在光谷广场附近有人发传单", "光谷广场"),
        # A junction named later beats a bare district named first.
        ("我住在武昌区，今天路过光谷大道和高新大道路口时发现路灯坏了", "光谷大道和高新大道路口"),
        ("尊敬的领导：您好！我是洪山区保利花园小区的业主，想反映一个问题", "洪山区保利花园小区"),
    ],
)
def test_extracts_the_most_specific_place(text: str, place: str) -> None:
    assert extract_place(text) == place


@pytest.mark.parametrize(
    "text",
    [
        "我们小区门口的垃圾好几天没人清运了",
        "马路上有个大坑",
        "路灯坏了",
        "这条路的路灯坏了",
        "12月5号开始就停水了",
        "地铁2号线车厢太挤",
        "我们这个片区经常停电",
        "请问公积金怎么提取",
        "楼道里有煤气泄漏的味道，很浓",
        "小区里的路灯晚上全都不亮",
        "",
    ],
)
def test_no_place_in_text_without_one(text: str) -> None:
    assert extract_place(text) is None


def test_long_letter_is_searched_quickly() -> None:
    letter = "尊敬的领导您好，" + "我们这里的问题一直没有解决，" * 400 + "地点在洪山区珞喻路129号。"
    assert len(letter) > 5000
    assert extract_place(letter) == "洪山区珞喻路129号"


@pytest.mark.parametrize(
    "answer, place",
    [
        ("在洪山区珞喻路129号附近", "洪山区珞喻路129号附近"),
        ("就在光谷广场", "光谷广场"),
        ("地址是：江岸区解放大道1号。", "江岸区解放大道1号"),
        ("江汉区唐家墩街道红旗社区东门", "江汉区唐家墩街道红旗社区东门"),
        ("光谷", "光谷"),
        ("百步亭花园", "百步亭花园"),
        ("武汉大学正门", "武汉大学正门"),
    ],
)
def test_accepts_a_real_place(answer: str, place: str) -> None:
    assert place_problem(answer) == (place, None)


@pytest.mark.parametrize(
    "answer, reason",
    [
        ("不知道", "unknown"),
        ("我也不清楚", "unknown"),
        ("我们小区门口", "too_vague"),
        ("我家楼下", "too_vague"),
        ("my home", "not_chinese"),
        ("😀", "empty"),
        ("", "empty"),
        ("   。", "empty"),
        ("好的", "empty"),
        ("嗯嗯", "empty"),
        ("谢谢", "empty"),
        ("重新提交", "empty"),
        ("今天天气怎么样", "not_a_place"),
        ("你们效率太低了", "not_a_place"),
    ],
)
def test_rejects_answers_that_locate_nothing(answer: str, reason: str) -> None:
    assert place_problem(answer) == (None, reason)


def test_a_long_answer_keeps_only_the_place() -> None:
    answer = "就在洪山区珞喻路129号，" + "那里的情况非常糟糕" * 40
    assert place_problem(answer) == ("洪山区珞喻路129号", None)
