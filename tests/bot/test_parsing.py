"""Ticket numbers, kinds of request, danger to life and what counts as content."""
from __future__ import annotations

import pytest

from actions.parsing import (
    MAX_DESCRIPTION_CHARS,
    detect_emergency,
    find_ticket_numbers,
    has_letters,
    infer_kind,
    is_mostly_latin,
    is_too_short_to_file,
    ticket_number_from_entities,
    truncate_description,
)


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("我的工单 20261125-000001 办得怎么样了", ["20261125-000001"]),
        ("工单20261125-000001办得怎么样", ["20261125-000001"]),
        ("２０２６１１２５－０００００２", ["20261125-000002"]),
        ("20261125 - 000003 和 20261125-000003", ["20261125-000003"]),
        ("20261125-0000011", []),
        ("电话 13800001234", []),
        ("", []),
    ],
)
def test_find_ticket_numbers(text: str, numbers: list) -> None:
    assert find_ticket_numbers(text) == numbers


def test_duplicate_entities_from_two_extractors_count_once() -> None:
    entities = [
        {"entity": "ticket_number", "value": "20261125-000001", "extractor": "DIETClassifier"},
        {"entity": "ticket_number", "value": "20261125-000001", "extractor": "RegexEntityExtractor"},
    ]
    assert ticket_number_from_entities(entities) == "20261125-000001"
    assert ticket_number_from_entities([{"entity": "place", "value": "光谷"}]) is None


@pytest.mark.parametrize(
    "text, kind",
    [
        ("光谷大道的路灯坏了", "投诉"),
        ("我要举报一家餐馆无证经营", "举报"),
        ("求助，家里水管爆了", "求助"),
        ("建议在小区附近增设公交站", "建议"),
        ("请问公积金怎么提取", "咨询"),
        ("居住证怎么办理", "咨询"),
    ],
)
def test_infer_kind(text: str, kind: str) -> None:
    assert infer_kind(text) == kind


@pytest.mark.parametrize(
    "text, number",
    [
        ("楼下有煤气泄漏的味道", "119"),
        ("对面楼着火了", "119"),
        ("有人被困在电梯里出不来", "119"),
        ("路边有个老人晕倒了", "120"),
        ("有人在小区里持刀打架", "110"),
    ],
)
def test_detect_emergency(text: str, number: str) -> None:
    emergency = detect_emergency(text)
    assert emergency is not None
    assert emergency.numbers[0] == number and emergency.reason


def test_no_emergency_in_an_ordinary_complaint() -> None:
    assert detect_emergency("小区门口的垃圾好几天没人清运了") is None


def test_content_checks() -> None:
    assert not has_letters("😀😀") and not has_letters("") and has_letters("路灯")
    assert is_mostly_latin("my street light is broken")
    assert not is_mostly_latin("<script>alert(1)</script>光谷大道的路灯坏了")
    assert not is_mostly_latin("光谷大道的LED路灯坏了")
    assert is_too_short_to_file("我要投诉") and is_too_short_to_file("您好，我想反映一个问题")
    assert not is_too_short_to_file("路灯坏了")


def test_truncate_description() -> None:
    assert truncate_description("路灯坏了") == ("路灯坏了", False)
    text, cut = truncate_description("灯" * (MAX_DESCRIPTION_CHARS + 5))
    assert cut and len(text) == MAX_DESCRIPTION_CHARS
