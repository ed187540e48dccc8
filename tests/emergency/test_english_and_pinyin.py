"""English words and pinyin typed into a Chinese message read as their Chinese (cues.yml, `english`).

Fresh wordings written for this test, none taken from the frozen sets.
"""
from __future__ import annotations

import pytest

from emergency import detect


@pytest.mark.parametrize("text, number", [
    ("zhao huo le！！我家对面那栋楼 快", "119"),
    ("kitchen里gas smell好重，头有点晕", "119"),
    ("my dad fainted 在地铁站台上 叫不醒", "120"),
    ("help!! 我朋友 fell into the lake 在东湖这边", "119"),
    ("power line fell down 在路口 还在 sparking", "119"),
    ("有个男的 following me 从地铁站出来就跟着 好害怕", "110"),
    ("car crash 在雄楚大道 有人 injured 快来", "122"),
])
def test_mixed_wording_alarms_with_the_right_number(text: str, number: str) -> None:
    finding = detect(text)
    assert finding is not None, text
    assert number in finding.numbers, (text, finding)


@pytest.mark.parametrize("text", [
    "小区的fire exit被电动车堵了，物业不管",
    "gas费在哪里交？app上找不到",
    "我们楼的wifi信号太差了，help一下",
    "请问smoke detector坏了找谁换",
])
def test_everyday_english_words_do_not_alarm(text: str) -> None:
    assert detect(text) is None, (text, detect(text))
