"""Find and check the place of a resident's problem in free Chinese text.

Residents rarely write a clean address: "光谷大道和高新大道路口的路灯坏了", "我家住在江汉区唐家墩街道…，楼下…".
A place here is a chain of named units that each end in a place suffix (区, 路, 大道, 小区, 村, 广场 …),
optionally joined by 和/与 and closed by a junction word (路口, 交叉口) or a house number. We split the
text into clauses (punctuation and the particles 的/在 end a place in practice), strip leading filler
("我们", "家住", "今天") and match the chain at the start of each clause. The chain with the most units
wins, so a junction beats a bare district mentioned earlier. Generic words ("小区", "马路") are no place.

The ticketing service resolves the district itself; the bot only needs the resident's words.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

_SUFFIXES = (
    "小区|花园|社区|家园|公寓|广场|公园|大厦|大楼|商场|市场|医院|学校|小学|中学|大学|"
    "地铁站|火车站|汽车站|公交站|客运站|码头|街道|大道|大街|新区|新城|开发区|"
    "路|街|巷|村|区|镇|乡|湾|苑|城|站|桥|庄"
)
_JUNCTION = "十字路口|丁字路口|交叉路口|交叉口|交汇处|路口|桥下|桥头"
# Characters that never occur inside a place name but often right before one.
_NAME_CHAR = r"[^\s的了是在有个我你他她它们这那哪很太都也还就又把被让给对从向往到说要，。！？、：；,.!?;:（）()“”\"'《》【】\[\]<>]"
# "小学生", "区域", "城管": a suffix followed by these is part of another word.
_UNIT = rf"{_NAME_CHAR}{{1,8}}?(?:{_SUFFIXES})(?![生域管])"
_NUMBER_UNIT = r"\d{1,5}(?:号院|号楼|号|栋|幢|单元|弄)"
_CHAIN_RE = re.compile(
    rf"(?:{_UNIT})(?:(?:和|与|跟|、)?(?!{_JUNCTION})(?:{_UNIT}|{_NUMBER_UNIT}))*(?:{_JUNCTION})?"
)
_UNIT_RE = re.compile(rf"{_UNIT}|{_NUMBER_UNIT}")
_CLAUSE_SPLIT_RE = re.compile(r"[\s，。！？；：,.!?;:（）()“”\"'《》【】\[\]<>…]+|的|在|住|于|到")
_LEADING_FILLER_RE = re.compile(
    r"^(?:我们|我家|咱们|本人|我|家|就是|就|是|都|也|还|位于|地处|地址|地点|位置|具体|大概|大约|想问|想|请|"
    r"再次|呼吁|如今|通过|仅|关于|对于|由于|因为|根据|按照|穿越|"
    r"应该|可能|反映|投诉|举报|咨询|请问|希望|发现|路过|经过|最近|近期|目前|现在|今天|昨天|前天|"
    r"这几天|这段时间|每天|晚上|早上|白天|凌晨|夜里|半夜)+"
)
# A candidate is cut at words that follow a place but are not part of it.
_TRAILING_CUT_RE = re.compile(r"附近|旁边|周边|对面|门口|楼下|楼上|里面|一带|路段|这边|那边")
_DATE_RE = re.compile(r"\d+月\d+")
_GENERIC = frozenset(
    "小区 社区 花园 广场 公园 大厦 大楼 商场 市场 医院 学校 小学 中学 大学 街道 大街 马路 公路 道路 铁路 "
    "小路 水泥路 高速公路 农村 乡村 村里 城区 市区 片区 景区 地区 园区 校区 郊区 山区 新区 城里 城市 "
    "路口 车站 本区 本村 我村 全村 全区 全市 上街 一路 走路 修路 进城 老城 县城".split()
)

_DONT_KNOW_RE = re.compile(
    r"^(?:我)?(?:也)?(?:不知道|不清楚|不晓得|不记得|忘了|记不清|说不清|不确定|没有|无|不详|随便|"
    r"不方便说|不想说|保密|不告诉你|不懂)(?:了|啊|呢|吧|呀)?$"
)
_VAGUE_WORDS_RE = re.compile(
    r"我们|我家|我们家|咱们|家里|家门口|门口|楼下|楼上|这里|那里|这儿|那儿|这边|那边|附近|旁边|"
    r"对面|小区|社区|马路|路上|街上|外面|里面|就在|在|我|家|这|那|的|了|啊|呢|吧|呀|就|边|里|上"
)
# Replies to "where?" that are conversation, not a place ("好的", "嗯", "谢谢").
_NOT_A_PLACE_RE = re.compile(
    r"^(?:好的?|好吧|好啊|嗯+|哦+|噢+|啊+|是的?|对的?|对啊|不是|不对|可以|行|没问题|你好|您好|谢谢|多谢|收到|明白|知道了|"
    r"重新提交|再提交一次|提交|重试|再试一次|取消|确定|确认|"
    r"ok|okay|yes|no)[啊呀吧哦了]?$",
    re.IGNORECASE,
)
# Words that make an answer a place even when no full "name + suffix" chain is found.
_PLACE_HINT_RE = re.compile(
    r"路|街|巷|道|区|村|镇|乡|组|湾|苑|城|园|广场|站|桥|楼|栋|幢|号|门|大厦|中心|商场|市场|超市|医院|"
    r"学校|大学|学院|中学|小学|幼儿园|公司|工厂|厂|店|酒店|宾馆|饭店|湖|江|河|山|港|码头|机场|附近|旁边|对面|"
    r"光谷|汉口|汉阳|武昌|江岸|江汉|硚口|青山|洪山|东西湖|汉南|蔡甸|江夏|黄陂|新洲|沌口|经开|武汉|\d"
)
_PLACE_ANSWER_PREFIX_RE = re.compile(
    r"^(?:地点|地址|位置|具体位置|具体地点)?(?:是|在)?[:：]?\s*(?:就在|大概在|应该在|位于|在)?"
)
MAX_PLACE_CHARS = 200


def _clean_candidate(text: str) -> Optional[Tuple[str, int]]:
    """Return the place at the start of one clause and how many units it has, or None."""
    clause = _LEADING_FILLER_RE.sub("", text)
    match = _CHAIN_RE.match(clause)
    if not match:
        return None
    candidate = match.group(0)
    cut = _TRAILING_CUT_RE.search(candidate)
    if cut:
        candidate = candidate[: cut.start()]
    if len(candidate) < 3 or candidate in _GENERIC or _DATE_RE.search(candidate):
        return None
    units = len(_UNIT_RE.findall(candidate))
    if re.search(_JUNCTION, candidate):
        units += 1
    return candidate, units


def extract_place(text: Optional[str]) -> Optional[str]:
    """Return the most specific place named in a complaint, or None when it names none.

    Why a heuristic and not only NLU entities: it is predictable, testable without a model and works
    on 5,000-character letters where a learned tagger has seen nothing alike.
    """
    if not text:
        return None
    best: Optional[Tuple[str, int]] = None
    for clause in _CLAUSE_SPLIT_RE.split(text):
        found = _clean_candidate(clause) if clause else None
        if found and (best is None or found[1] > best[1]):
            best = found
    return best[0] if best else None


def clean_place_answer(text: Optional[str]) -> str:
    """Strip the polite frame around an answer to "where?" ("就在…", "地址是…", trailing "。")."""
    answer = (text or "").strip()
    answer = _PLACE_ANSWER_PREFIX_RE.sub("", answer, count=1)
    return answer.strip(" \t\r\n，。！？,.!?～~、；;").strip()


def is_dont_know(answer: str) -> bool:
    """True when the resident says they do not know or will not tell where it happened."""
    return bool(_DONT_KNOW_RE.match(answer.strip(" ，。！？,.!?～~")))


def is_too_vague(answer: str) -> bool:
    """True when an answer holds only words like "我们小区门口" that locate nothing for a department."""
    rest = _VAGUE_WORDS_RE.sub("", answer)
    return not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", rest)


def has_chinese(text: str) -> bool:
    """True when the text contains at least one Chinese character."""
    return bool(re.search(r"[\u4e00-\u9fa5]", text or ""))


def normalise_place_answer(answer: str) -> str:
    """Keep the resident's own words, but only the place when they wrote a long paragraph."""
    if len(answer) <= MAX_PLACE_CHARS:
        return answer
    return extract_place(answer) or answer[:MAX_PLACE_CHARS]


def place_problem(text: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    """Check an answer to the place question: (accepted place, None) or (None, reason code).

    Kept pure so the form validator stays a thin adapter and the rules are unit-tested.
    """
    answer = clean_place_answer(text)
    if not answer or not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", answer) or _NOT_A_PLACE_RE.match(answer):
        return None, "empty"
    if is_dont_know(answer):
        return None, "unknown"
    if not has_chinese(answer):
        return None, "not_chinese"
    if is_too_vague(answer):
        return None, "too_vague"
    if not extract_place(answer) and not _PLACE_HINT_RE.search(answer):
        return None, "not_a_place"
    return normalise_place_answer(answer), None


def place_candidates(text: str) -> List[str]:
    """All places found clause by clause; for debugging and tests."""
    found = (_clean_candidate(c) for c in _CLAUSE_SPLIT_RE.split(text or "") if c)
    return [f[0] for f in found if f]
