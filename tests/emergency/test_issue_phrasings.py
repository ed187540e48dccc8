"""Every kind of emergency issue 15 lists as missed, in our own words and a few variants, and ordinary
messages that must not alarm. The detector is pure Python: these run in either environment."""
from __future__ import annotations

import pytest

from emergency import detect

MISSED_IN_ISSUE_15 = [
    # a strong smell of gas in the stairwell ("好像漏气了")
    ("楼梯间里煤气味特别大，好像漏气了", "gas", "119"),
    ("我们单元楼道一股燃气的味道，应该是谁家漏气了", "gas", "119"),
    ("好像漏气了，整个楼梯口都是那个味道", "gas", "119"),
    # a child fallen into a river
    ("有个小朋友在河边玩，掉进河里了", "water", "119"),
    ("一个小男孩落到江里去了，大人在岸上喊", "water", "119"),
    # a fallen power line still sparking
    ("电线被风刮断掉在地上，还在一直冒火花", "electricity", "119"),
    ("路边掉下来一根高压线，地上噼啪打火", "electricity", "119"),
    # a gas main dug through
    ("修路的挖机把燃气总管挖穿了，气一直往外冒", "gas", "119"),
    ("工地施工把天然气管道挖破了", "gas", "119"),
    # people trapped in a flooded garage
    ("地下车库进了好多水，有两个人困在里面出不来", "water", "119"),
    ("车库被淹了，我老公还在下面挪车，电话打不通", "water", "119"),
    # an old person living alone who has fallen and cannot get up
    ("隔壁独居的老奶奶摔倒了，爬不起来", "medical", "120"),
    ("我爸一个人住，刚才打电话说在厕所摔了，站不起来", "medical", "120"),
    # someone being followed
    ("有个陌生男的一直跟着我，我走到哪他跟到哪", "people_at_risk", "110"),
    ("晚上回家发现有人尾随我，现在还在后面", "people_at_risk", "110"),
    # a tower crane about to fall
    ("小区旁边工地的塔吊歪得厉害，好像快倒了", "structure", "119"),
    ("塔吊在大风里晃个不停，感觉马上要倒下来", "structure", "119"),
]

MUST_NOT_ALARM = [
    "消防通道被电动车堵了",
    "燃气费太贵",
    "建议多建120急救站",
    "楼道里堆满杂物，存在火灾隐患",
    "去年小区着过一次火，希望加装消防设施",
    "工地塔吊噪音太大，晚上还在施工",
    "这个路口经常出车祸，建议装红绿灯",
    "电梯经常困人，物业也不管",
    "请问燃气开户要带什么证件",
    "120救护车收费太贵了",
    "河边没有护栏，万一小孩掉下去怎么办",
]


@pytest.mark.parametrize(("text", "hazard", "number"), MISSED_IN_ISSUE_15)
def test_what_the_issue_found_missed_is_caught_with_the_right_number(text: str, hazard: str, number: str) -> None:
    found = detect(text)
    assert found is not None, text
    assert found.numbers[0] == number and hazard in (found.hazard, *found.also)
    assert found.reason and found.cues


@pytest.mark.parametrize("text", MUST_NOT_ALARM)
def test_ordinary_messages_do_not_alarm(text: str) -> None:
    assert detect(text) is None


def test_an_emergency_buried_in_a_long_letter_is_found() -> None:
    letter = ("尊敬的领导：我是锦苑小区的业主，想反映三件事。一是物业费年年涨，服务却越来越差；二是地面停车位"
              "被外来车辆长期占用，业主回家找不到车位。三是今天早上我下楼时，看见二单元门口那根电线断了垂在地上，"
              "还在冒火花，小孩子上学都要从那里经过，请马上派人来。以上问题望领导重视。")
    found = detect(letter)
    assert found is not None and found.hazard == "electricity" and found.numbers[0] == "119"


def test_a_letter_telling_a_past_event_does_not_alarm() -> None:
    letter = ("尊敬的领导：2016年冬天我们楼里发生过一次火灾，三楼一户人家着火，烧毁了整个楼道。"
              "事后物业承诺更换灭火器、清理楼道杂物，可是几年过去了什么都没有做。请相关部门督促整改。")
    assert detect(letter) is None
