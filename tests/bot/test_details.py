"""Reading time, contact, corrections and several problems from a resident's words."""
from __future__ import annotations

import pytest

from actions.details import (
    correction_target,
    extract_event_time,
    extract_name,
    find_phone_attempt,
    is_affirmation,
    is_change_request,
    is_valid_phone,
    mask_phone,
    read_contact,
)
from actions.problems import split_problems


@pytest.mark.parametrize("text, expected", [
    ("光谷大道和高新大道路口的路灯坏了一个多星期了", "一个多星期了"),
    ("我家楼下的工地每天夜里施工到凌晨两点", "每天夜里"),
    ("昨天晚上8点半在江汉路", "昨天晚上8点半"),
    ("６月２１日又停电了", "6月21日"),
    ("解放大道688号3号楼门口的井盖丢了", None),
    ("武昌区中南路12号的餐馆油烟很大", None),
    ("25日晚上又开始了", "25日晚上"),
    ("路灯坏了", None),
])
def test_event_time(text: str, expected: str) -> None:
    assert extract_event_time(text) == expected


@pytest.mark.parametrize("phone, valid", [
    ("13812345678", True), ("138 1234 5678", True), ("+86 13812345678", True), ("027-85551234", True),
    ("85551234", True), ("1381234", False), ("12345678901", False), ("0271234", False),
])
def test_phone_validation(phone: str, valid: bool) -> None:
    assert is_valid_phone(phone) is valid


def test_phone_attempts_ignore_house_and_ticket_numbers() -> None:
    assert find_phone_attempt("解放大道688号") is None
    assert find_phone_attempt("工单20261125-000001") is None
    assert find_phone_attempt("电话138") == "138"
    assert find_phone_attempt("我的手机是13812345678") == "13812345678"


def test_names() -> None:
    assert extract_name("我叫李四，电话027-85551234") == "李四"
    assert extract_name("王女士 13900001111") == "王女士"
    assert extract_name("我姓陈") == "陈先生/女士"
    assert extract_name("张三 13812345678", "13812345678") == "张三"


def test_contact_reading() -> None:
    assert read_contact("匿名").updates == {"anonymous": True, "contact_name": None, "contact_phone": None}
    assert read_contact("电话1381234").bad_phone == "1381234"
    assert read_contact("张先生 13812345678").updates == {
        "contact_phone": "13812345678", "anonymous": False, "contact_name": "张先生"}
    assert mask_phone("13812345678") == "138****5678"


def test_yes_and_change() -> None:
    assert all(is_affirmation(t) for t in ("确认", "是的", "没问题", "确认提交。", "好的"))
    assert not is_affirmation("不对")
    assert is_change_request("不对") and is_change_request("我要修改") and not is_change_request("不对，是在汉口")


@pytest.mark.parametrize("text, expected", [
    ("不对，是在汉口", ("place", "汉口")),
    ("地点改成江汉区解放大道688号", ("place", "江汉区解放大道688号")),
    ("时间是昨天晚上", ("event_time", "昨天晚上")),
    ("不对，是昨天晚上", ("event_time", "昨天晚上")),
    ("电话是13812345678", ("contact_phone", "13812345678")),
    ("问题是路灯不亮", ("description", "路灯不亮")),
    ("是在汉口", None),
])
def test_corrections(text: str, expected) -> None:
    assert correction_target(text) == expected


def test_several_problems_are_split_only_when_marked() -> None:
    assert split_problems("一是小区路灯坏了好几天，二是楼下垃圾没人清运") == ["小区路灯坏了好几天", "楼下垃圾没人清运"]
    assert split_problems("路灯坏了，另外还有一个问题，小区门口的井盖丢了") == ["路灯坏了", "小区门口的井盖丢了"]
    assert split_problems("光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑") == [
        "光谷大道和高新大道路口的路灯坏了一个多星期了，晚上很黑"]
    letter = "尊敬的领导：一、小区路灯不亮很久了。二、物业不管。" + "情况说明" * 100
    assert split_problems(letter) == [letter]
