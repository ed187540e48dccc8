"""How the detector reads a message: normalised characters, sentences, clauses.

Why sentences: in a long letter the emergency is often one sentence among complaints about parking
and rubbish; a hazard word in one sentence and an urgent word in another must not add up, and a
"建议…" or "去年…" in one sentence must not silence the emergency in the next.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import List

# Traditional forms of the characters the rules use, as phones in Hong Kong or Taiwan input mode type them.
_TRADITIONAL = str.maketrans(
    "氣電燒災禍車樓牆塌壓傷殺搶飛滅爐線線門們說話聽頭腦藥醫療護險層壞斷掉從會過還這裡來進邊橋倒溝罐漏溫"
    "淹溺觸擊閘櫃箱亂鐵軌動無錢嗎麼麽綁劫歐毆鬥槍兇讓點燈煙熱爆燃開關窗戶陽臺臺檯風颱颶塊磚裂陷場廣",
    "气电烧灾祸车楼墙塌压伤杀抢飞灭炉线线门们说话听头脑药医疗护险层坏断掉从会过还这里来进边桥倒沟罐漏温"
    "淹溺触击闸柜箱乱铁轨动无钱吗么么绑劫欧殴斗枪凶让点灯烟热爆燃开关窗户阳台台台风台飓块砖裂陷场广",
)
SENTENCE_END = "。!?;\n"
CLAUSE_END = SENTENCE_END + ",:"  # not 、: "恶心、呕吐、头晕" is one list, and its guard covers all
_SENTENCE_RE = re.compile(f"[^{re.escape(SENTENCE_END)}]+")
_CLAUSE_RE = re.compile(f"[^{re.escape(CLAUSE_END)}]+")
_SPACES_RE = re.compile(r"[ \t\u3000\xa0]+")
_LINES_RE = re.compile(r"[\r\n]+")
_ELLIPSIS_RE = re.compile(r"\.{2,}")  # "……" becomes "......" under NFKC


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), traditional to simplified for the rules' characters, lower case;
    a line break ends a sentence and a run of spaces ends a clause ("车祸 人受伤了 在路口")."""
    plain = unicodedata.normalize("NFKC", text or "").translate(_TRADITIONAL).lower()
    plain = _ELLIPSIS_RE.sub("。", _LINES_RE.sub("\n", plain))
    return _SPACES_RE.sub(",", plain)


@dataclass(frozen=True)
class Span:
    """A stretch of the normalised text: [start, end)."""

    start: int
    end: int


def sentences(text: str) -> List[Span]:
    """Sentences of a normalised text, split at 。！？； ellipses and line breaks."""
    return [Span(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text)]


def clause_around(text: str, sentence: Span, at: int) -> Span:
    """The clause of `sentence` that holds position `at` (clauses end at commas and colons too)."""
    for m in _CLAUSE_RE.finditer(text, sentence.start, sentence.end):
        if m.start() <= at < m.end():
            return Span(m.start(), m.end())
    return sentence
