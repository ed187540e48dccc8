"""How the detector reads: guards, negations, letters, dialect, typos, the rule files themselves."""
from __future__ import annotations

import re
import time

import pytest

from emergency import NUMBER_USES, Detector, detect, first_reply
from emergency.patterns import compile_rule
from emergency.rules import default_rules, load_rules


def test_every_situation_says_whom_to_call_and_why_in_chinese() -> None:
    for situation in default_rules().situations:
        assert situation.numbers and set(situation.numbers) <= set(NUMBER_USES), situation.name
        assert re.search(r"[\u4e00-\u9fff]", situation.reason) and situation.reason.endswith("。"), situation.name
        assert any(n in situation.reason for n in situation.numbers), situation.name


def test_a_broken_rule_fails_when_the_rules_load() -> None:
    with pytest.raises(ValueError, match="not a valid pattern"):
        compile_rule("着火(了", {})
    with pytest.raises(ValueError, match="unknown word list"):
        load_rules({"hazards": {"x": {"label": "x", "numbers": ["110"], "reason": "。", "alarms": ["{nobody}"]}}}, {})


def test_rules_are_data() -> None:
    """A hazard an operator adds to the YAML is detected with its own number and reason."""
    rules = load_rules({"hazards": {"bees": {"label": "蜂群", "numbers": ["119"], "reason": "请拨打119摘除蜂窝。",
                                             "alarms": ["马蜂…追着…蛰"]}}}, {})
    found = Detector(rules).detect("一群马蜂一直追着人蛰")
    assert found is not None and (found.hazard, found.numbers, found.reason) == ("bees", ("119",), "请拨打119摘除蜂窝。")


@pytest.mark.parametrize("text", ["没有着火，是邻居在烧烤", "不是漏气，是下水道的味道", "万一着火了怎么办",
                                  "楼道堆放杂物，存在火灾隐患", "去年三楼着过一次火"])
def test_negations_conditions_and_past_events_do_not_alarm(text: str) -> None:
    assert detect(text) is None


def test_now_overrides_a_past_time_in_the_same_sentence() -> None:
    found = detect("去年着过一次火，今天又着火了")
    assert found is not None and found.hazard == "fire"


@pytest.mark.parametrize(("text", "number"), [("俾车撞咗，起唔到身", "122"), ("着火哒，快来人", "119"),
                                              ("俺娘跌了一跤，爬不起来", "120"), ("煤汽泻漏了", "119"),
                                              ("老人昏到了 不醒人事", "120"), ("出了车货，有人伤了", "122")])
def test_dialect_and_typos(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and found.numbers[0] == number


def test_a_letter_alarms_only_where_it_tells_the_danger_as_now() -> None:
    story = ("尊敬的领导：我们小区的电线老化问题反映多次没人管。前年冬天三号楼的电线着火，烧坏了两户人家，"
             "物业当时答应更换线路，到现在也没有落实。希望有关部门督促物业尽快整改。")
    assert detect(story) is None
    now = story + "今天早上那根电线又在冒火花了，请马上派人来看看！"
    found = detect(now)
    assert found is not None and found.numbers[0] == "119"


def test_the_first_reply_names_the_number_then_why() -> None:
    found = detect("楼道里一股很冲的煤气味，好像漏气了")
    reply = first_reply(found)
    assert reply.startswith("您说的情况可能危及生命安全，请立即拨打 119（火警、燃气泄漏、抢险救援）！")
    assert found.reason in reply


def test_empty_and_long_texts() -> None:
    assert detect(None) is None and detect("") is None and detect("😀") is None
    letter = "我是小区业主，想反映物业服务的问题，停车位收费不合理，绿化带被占用，垃圾清运不及时。" * 250
    started = time.perf_counter()
    assert detect(letter) is None
    assert time.perf_counter() - started < 1.0  # a 10,000-character letter, as the service may receive
