"""Rule-based entities for Chinese 12345 messages, with a blank spaCy `zh` pipeline.

Why rules and not DIET: we have a few hundred of our own examples; places, times, phone numbers and
names follow patterns ("…路与…路交叉口", "昨天晚上8点", 1[3-9] + 9 digits, "我叫…") that rules get
right on texts far longer than anything a tagger was trained on, predictably and testably.

The pipeline (spaCy 3.4, no model download):
1. tokenizer: jieba with our user dictionary (bot/jieba_dict, the same words Rasa's tokenizer loads),
   so every entity starts and ends on a token boundary Rasa also sees (RASA_NOTES: an annotation
   inside a jieba word is dropped silently).
2. `yijian_token_classes`: marks each token as a place name part, a place suffix (路, 小区, 栋 …), a
   junction word (路口, 交叉口), a connector (和, 与) or nothing (filler, verbs, time words).
3. `yijian_regex_entities`: times, phone numbers and names by regular expressions on the text, snapped
   to token boundaries (`Doc.char_span(alignment_mode="expand")`).
4. `entity_ruler` (EntityRuler): place parts — token patterns on the classes ("[name]{0,2} + suffix",
   "number + 号/栋/单元") and phrase patterns of known place words (dictionary words tagged `ns`,
   districts from cpca). Existing entities (times, phones) are not overwritten.
5. `yijian_place_chains`: joins adjacent place parts ("洪山区" "珞喻路" "与" "鲁磨路" "交叉口") into one
   PLACE; chains made only of generic words ("小区", "3栋") are dropped.

Labels: PLACE, EVENT_TIME, PHONE, PERSON_NAME, ID_NUMBER (Rasa names in `RASA_ENTITY`). Ticket numbers are
the RegexEntityExtractor's (data/nlu/status.yml) and are only kept out of phone numbers here, like ID
numbers (personal_data: check digit or a cue word), whose entity value is masked (110105********002X).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

from personal_data import SURNAMES, find_id_numbers

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DICTIONARY = REPO / "bot" / "jieba_dict"

RASA_ENTITY = {"PLACE": "place", "EVENT_TIME": "event_time", "PHONE": "phone", "PERSON_NAME": "person_name",
               "ID_NUMBER": "id_number"}

# --- token classes for places -------------------------------------------------------------------

# A token that is exactly one of these ends a place unit ("保利 花园", "129 号", "建设 二路").
PLACE_SUFFIXES = frozenset(
    "区 县 市 路 街 巷 道 大道 大街 街道 社区 村 镇 乡 湾 组 小区 花园 家园 公寓 苑 城 广场 大厦 大楼 公园 "
    "市场 菜市场 农贸市场 商场 超市 医院 学校 小学 中学 大学 学院 幼儿园 站 地铁站 公交站 火车站 汽车站 客运站 "
    "码头 桥 大桥 立交 立交桥 中心 体育中心 新城 新区 开发区 工业园 产业园 岛 山 湖 省 步行街".split()
)
# These end a unit only after a number ("5 栋", "2 单元"): alone they are no place.
NUMBER_SUFFIXES = frozenset("号 栋 幢 单元 号楼 号院 楼 层 室 弄 期 区".split())
# A token ending in one of these is a whole unit by itself ("珞喻路", "唐家墩街道", "光谷广场").
_SUFFIXED_RE = re.compile(
    r"^[\u4e00-\u9fa5A-Za-z0-9]{1,10}(?:大道|大街|街道|社区|小区|花园|家园|公寓|广场|大厦|公园|市场|商场|医院|学校|"
    r"小学|中学|大学|学院|地铁站|火车站|公交站|汽车站|码头|大桥|新城|新区|开发区|高新区|经开区|步行街|"
    r"区|县|路|街|巷|村|镇|乡|湾|苑|城|桥|岛|站)$"
)
# Suffixed tokens that name no particular place.
GENERIC_PLACES = frozenset(
    "小区 社区 花园 广场 公园 大厦 大楼 商场 市场 医院 学校 小学 中学 大学 街道 大街 马路 公路 道路 铁路 小路 "
    "水泥路 高速公路 农村 乡村 村里 城区 市区 片区 景区 地区 园区 校区 郊区 山区 新区 城里 城市 本区 本村 我村 "
    "全村 全区 全市 下乡 回城 出城 返乡 回乡 老乡 家乡 城乡 乡下 乡里 中小学 上街 一路 走路 修路 进城 老城 县城 出路 思路 线路 电路 网路 套路 路路 岔路 山路 土路 "
    "超市 车站 小道 人行道 车道 通道 街道办 辖区 该区 此路 这条路 那条路 小街 商业街 老街 一条街 菜场".split()
)
# Words ending in 路 that are no road ("跑路", "线路", "走路"): the token is generic.
_NOT_A_ROAD_RE = re.compile(r"(?:段|条|个|这|那|线|跑|走|出|思|退|套|电|网|来|去|半|沿|过|问|让|带|拦|挡|修|铺|马|岔|山|土|小|水泥|公|道|铁|赶|上|同)路$")
# A road token glued to where on it ("宝丰 路上"): the unit ends before 上/边.
TRAILING_ROAD_TOKENS = frozenset("路上 路边 路旁 路面 路段 街上 街边 道上".split())
# Junction words, and gates or exits: they close a place ("…交叉口", "…公园北门"), never start one.
JUNCTIONS = frozenset(
    "路口 交叉口 交叉路口 十字路口 丁字路口 交汇处 交界处 交叉 交汇 桥下 桥头 转盘 出口 入口 北门 南门 东门 西门 "
    "正门 大门 后门".split()
)
CONNECTORS = frozenset("和 与 跟 及 、".split())
# Tokens that never begin or continue a place name: pronouns, verbs of being and going, time words.
_STOP_TOKENS = frozenset(
    "我 我们 我家 家 家里 咱们 你 你们 他 她 他们 本人 住 住在 家住 在 是 就是 于 位于 地处 靠近 临近 路过 经过 "
    "到 去 来 从 往 向 对 对面 附近 旁边 周边 门口 楼下 楼上 里面 外面 这里 那里 这边 那边 一带 路段 地址 地点 位置 "
    "具体 大概 大约 应该 可能 就 也 都 还 又 在于 发现 反映 投诉 举报 咨询 请问 希望 有 有人 没有 不 不对 不是 "
    "改成 改为 换成 叫 名叫 说 个 一个 这个 那个 这 那 哪 哪里 什么 的 了 着 过 吗 呢 啊 吧 呀 上 下 里 边 "
    "今天 昨天 前天 明天 最近 近期 目前 现在 每天 晚上 早上 白天 凌晨 夜里 半夜 上午 下午 中午 傍晚 "
    "一段 这段 那段 一条 这条 那条 一片 这片 那片 怎么 如何 为什么 一下 读 问 想 能 可以 分配 办理 申请 加开 "
    "多建 修 建 找 等 乡镇 城中村 公交线路 某 公办 民办 条 段 个 片 处 "
    "来自 所属 下属 隶属 属于 搭乘 乘坐 停留 寄存 户籍 符合 单位 前往 返回 回到 去往 居住 生活 工作 就读 "
    "调入 调到 作为 一名 因此 整顿 通过 注册 由于 造成 联名 入住 成为 加强 投入 进入 只有 私立 "
    "系 由 会 以 比 为 请 因 将 自 经 按 凭 或 并 且 而 但 该 各 每 其 此 全 即 所 则 曾 已 仍 才 再 更 最".split()
)
_STOP_CHARS_RE = re.compile(r"[的了是我你他她它们这那哪很太都也还就又把被让给说要在吗呢吧啊呀到]")
_NAME_TOKEN_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9]{1,6}$")
_NUMBER_TOKEN_RE = re.compile(r"^(?:[A-Za-z]?\d{1,5}|[一二三四五六七八九十]{1,3})$")
# Our anonymised names ("A3" in "A市A3区"): a place starts at such a token, never before it.
_ANONYMISED_RE = re.compile(r"^[A-Z]\d{0,2}$")
# "市县", "县乡", "本市", "该县": administrative words, no particular place.
_ADMIN_WORD_RE = re.compile(r"^[市县区乡镇省全本该我各此每][区县市乡镇省]$")
# "二路", "三巷", "北路", "中路": the second half of a road name jieba split ("珍珠 北路", "建设 二路").
_ORDINAL_ROAD_RE = re.compile(r"^(?:[一二三四五六七八九十\d]{1,3}|[东南西北中])(?:路|街|巷|大道|大街|号|栋)$")
_TIME_WORD_RE = re.compile(r"^(?:[今昨前明]天|[今昨前]晚|上周|本周|这周|周[一二三四五六日末]|星期|[元正腊]月|\d+[点时月日号年])")


@lru_cache(maxsize=65536)
def token_class(text: str) -> str:
    """The place role of one jieba token: NAME, SUFFIX, SUFFIXED, NUMBER, JUNCTION, CONNECTOR or O."""
    if text in JUNCTIONS:
        return "JUNCTION"
    if text in TRAILING_ROAD_TOKENS:
        return "ROAD_TRAIL"
    if text in CONNECTORS:
        return "CONNECTOR"
    if text in _STOP_TOKENS or _TIME_WORD_RE.match(text):
        return "O"
    if _ORDINAL_ROAD_RE.match(text):
        return "SUFFIX"
    if text in PLACE_SUFFIXES:
        return "SUFFIX"
    if text in NUMBER_SUFFIXES:
        return "NUMBER_SUFFIX"  # "栋", "单元": only after a number
    if _ANONYMISED_RE.match(text):
        return "ANON"
    if re.fullmatch(r"[A-Za-z]+", text):
        return "O"  # Latin words are no part of a Chinese place name
    if _NUMBER_TOKEN_RE.match(text):
        return "NUMBER"
    if _STOP_CHARS_RE.search(text) or not _NAME_TOKEN_RE.match(text):
        return "O"
    if text in GENERIC_PLACES or _NOT_A_ROAD_RE.search(text) or _ADMIN_WORD_RE.match(text) \
            or (len(text) == 2 and text[0] in _STOP_TOKENS and text[1] in "区县市乡镇省"):  # "请县", "经县"
        return "GENERIC"
    if _SUFFIXED_RE.match(text):
        return "SUFFIXED"
    return "NAME"


# --- regular expressions for times, phones, names ----------------------------------------------

_DAY = (
    r"(?:大前天|前天|昨天|今天|今早|今晨|昨晚|今晚|前晚|昨夜|上午|下午|中午|傍晚|晚上|夜里|夜间|半夜|深夜|凌晨|早上|清晨|"
    r"刚才(?![的没])|刚刚(?![的没])|上周[一二三四五六日天末]?|本周[一二三四五六日天末]?|这周[一二三四五六日天末]?|上个?月|这个?月|本月|"
    r"去年|今年|前几天|这几天|前段时间|这段时间|最近|近期|近日|周[一二三四五六日末]|星期[一二三四五六日天]|"
    r"(?<!\d)\d{4}年|(?<!\d)\d{1,2}月(?:(?<!\d)\d{1,2}[日号](?![楼院栋线门]))?(?:[上中下]旬|初|底)?|"
    r"(?<![\d.])\d{1,2}日)"
)
_CLOCK = r"(?:[零一二两三四五六七八九十\d]{1,3}[点时](?:半|[零一二三四五六七八九十\d]{1,3}分?)?(?:左右|多)?)"
_DURATION = r"(?:(?:[一二两三四五六七八九十几\d]|好几)+个?多?(?:天|周|星期|礼拜|个月|年)(?:多)?(?:了|以来|之久)?)"
_FREQUENT = r"(?:每天|每晚|每周|每到|天天|长期|一直)"
# "一点" alone is "a little" ("一点都不热"), and "早上好" a greeting: no times.
_NOT_A_TIME_RE = re.compile(r"^(?:一点|一点点)$")
_GREETING_AFTER = "好"
TIME_RE = re.compile(
    rf"{_FREQUENT}?{_DAY}(?:{_DAY}|{_CLOCK}|到|至)*|{_FREQUENT}?{_CLOCK}(?:到|至|{_CLOCK})*|{_DURATION}|每天|每晚|天天"
)
TICKET_NUMBER_RE = re.compile(r"(?<!\d)\d{8}\s*-\s*\d{6}(?!\d)")
MAX_PHONE_DIGITS = 13  # +86 and a mobile; a landline with its area code has 12 at most
_PHONE_RE = re.compile(r"(?<![\d-])(?:\+?86[\s-]?)?\d[\d\s-]{4,}\d(?![\d-])")
_PHONE_CUE_RE = re.compile(r"(?:电话|手机|号码|联系方式|座机|手机号)(?:号码?)?(?:是|为)?[:：\s]*$")
_CUED_SHORT_RE = re.compile(r"(?:电话|手机|号码)(?:号码?)?(?:是|为)?[:：\s]*(\d{1,5})(?![\d号栋楼])")
_TITLES = "先生|女士|小姐|阿姨|师傅|老师|大爷|大妈"
_NAME_END = r"(?=[，,。.!！?？:：（(\s\d]|电话|手机|$)"
_SURNAMED = rf"[{SURNAMES}][\u4e00-\u9fa5]{{1,2}}"
_NAME_RES = (
    re.compile(rf"(?:我叫|我是|本人|姓名[是为:：]?|名字[是叫:：]?|联系人[是为:：]?)\s*([\u4e00-\u9fa5]{{1,3}}(?:{_TITLES}))"),
    re.compile(rf"(?:我叫|名叫|姓名[是为:：]?|名字[是叫:：]?|联系人[是为:：]?)\s*([\u4e00-\u9fa5]{{2,4}}?){_NAME_END}"),
    re.compile(r"(?<![\u4e00-\u9fa5])([\u4e00-\u9fa5]{1,2}(?:先生|女士|小姐))"),
    # With a common surname (personal_data): after "我是"/"本人" or a role ("居民张明"), or a bare name
    # right before a mobile number ("陈杰，13912345678").
    re.compile(rf"(?:我是|本人|业主|居民|市民|住户|租户|村民|家长|反映人|投诉人)({_SURNAMED}?){_NAME_END}"),
    re.compile(rf"(?:^|(?<=[，,。.!！?？\s]))({_SURNAMED}?)[，,\s:：]*(?:电话|手机)?[:：]?\s*(?=(?:\+?86)?1[3-9]\d{{9}}(?!\d))"),
)
_SURNAME_RE = re.compile(r"(?:^|(?<=[，,。\s])|我|本人)姓(?!名)([\u4e00-\u9fa5])")
_NOT_A_NAME = frozenset("居民 业主 市民 住户 租户 群众 老人 一个 这里 投诉 反映 你们 电话 手机".split())
_NOT_IN_A_NAME_RE = re.compile(r"不|没|方便|保密|匿名|留|电话|手机|号码|的|了")


@dataclass(frozen=True)
class Found:
    """One entity found in a text: label (Rasa entity name), value, character span."""

    entity: str
    value: str
    start: int
    end: int
    text: str


def phone_digits(raw: str) -> str:
    """Digits of a phone number as typed ("027-8555 1234", "+86 138…"), country code dropped."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", raw))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def regex_spans(text: str) -> List[Tuple[str, int, int, str]]:
    """(label, start, end, value) of times, phone numbers and names found by regular expressions."""
    plain = unicodedata.normalize("NFKC", text)  # same length for digits; keeps offsets
    if len(plain) != len(text):
        plain = text
    # ID numbers (value: masked, never the digits) are found first: their digits are no phone number.
    spans: List[Tuple[str, int, int, str]] = []
    for found in find_id_numbers(plain):
        spans.append(("ID_NUMBER", found.start, found.end, found.masked_digits))
        plain = plain[:found.start] + "#" * (found.end - found.start) + plain[found.end:]
    tickets = [m.span() for m in TICKET_NUMBER_RE.finditer(plain)]
    for match in _PHONE_RE.finditer(plain):
        if any(s < match.end() and match.start() < e for s, e in tickets):
            continue
        digits = phone_digits(match.group(0))
        cued = _PHONE_CUE_RE.search(plain[max(0, match.start() - 8): match.start()])
        if len(digits) > MAX_PHONE_DIGITS:
            continue  # an order, account or ID-like number: no phone has that many digits
        if len(digits) >= 6 or cued:
            spans.append(("PHONE", match.start(), match.end(), digits))
    for match in _CUED_SHORT_RE.finditer(plain):
        if not any(s <= match.start(1) < e for _, s, e, _ in spans):
            spans.append(("PHONE", match.start(1), match.end(1), match.group(1)))
    for match in TIME_RE.finditer(plain):
        value = match.group(0)
        greeting = value in ("早上", "上午", "中午", "下午", "晚上") and plain[match.end():match.end() + 1] == _GREETING_AFTER
        if len(value) >= 2 and not _NOT_A_TIME_RE.match(value) and not greeting:
            spans.append(("EVENT_TIME", match.start(), match.end(), value))
    for pattern in _NAME_RES:
        for match in pattern.finditer(plain):
            if match.group(1) not in _NOT_A_NAME and not _NOT_IN_A_NAME_RE.search(match.group(1)):
                spans.append(("PERSON_NAME", match.start(1), match.end(1), match.group(1)))
    for match in _SURNAME_RE.finditer(plain):
        spans.append(("PERSON_NAME", match.start(1), match.end(1), f"{match.group(1)}先生/女士"))
    return spans


# --- the spaCy pipeline -------------------------------------------------------------------------


def _place_patterns(place_words: Iterable[str]) -> List[dict]:
    """EntityRuler patterns for place parts: token classes, and known place words as phrases."""
    name = {"_": {"place_class": {"IN": ["NAME", "NUMBER", "SUFFIXED"]}}}
    suffix = {"_": {"place_class": "SUFFIX"}}
    trail = {"_": {"place_class": "ROAD_TRAIL"}}
    anon = {"_": {"place_class": "ANON"}}
    patterns: List[dict] = [
        {"label": "PLACE_PART", "pattern": [{"_": {"place_class": "SUFFIXED"}}]},
        {"label": "PLACE_PART", "pattern": [name, suffix]},
        {"label": "PLACE_PART", "pattern": [name, name, suffix]},
        {"label": "PLACE_PART", "pattern": [name, suffix, suffix]},
        {"label": "PLACE_PART", "pattern": [name, trail]},
        {"label": "PLACE_PART", "pattern": [name, name, trail]},
        {"label": "PLACE_PART", "pattern": [{"_": {"place_class": "NUMBER"}}, {"TEXT": {"IN": sorted(NUMBER_SUFFIXES)}}]},
        {"label": "PLACE_PART", "pattern": [anon, {"_": {"place_class": {"IN": ["SUFFIXED", "SUFFIX"]}}}]},
        {"label": "PLACE_JUNCTION", "pattern": [{"_": {"place_class": "JUNCTION"}}]},
        # "C出口", "东出口", "北门": which exit or gate, closing a place
        {"label": "PLACE_JUNCTION", "pattern": [{"_": {"place_class": "ANON"}}, {"_": {"place_class": "JUNCTION"}}]},
        {"label": "PLACE_JUNCTION", "pattern": [{"TEXT": {"IN": ["东", "南", "西", "北"]}}, {"_": {"place_class": "JUNCTION"}}]},
        {"label": "PLACE_SUFFIX", "pattern": [suffix]},
    ]
    patterns += [{"label": "PLACE_PART", "pattern": word} for word in sorted(set(place_words)) if len(word) >= 2]
    return patterns


def dictionary_place_words(dictionary: Path) -> List[str]:
    """Words tagged `ns` (place names) in the jieba user dictionary files."""
    words: List[str] = []
    files = sorted(dictionary.iterdir()) if dictionary.is_dir() else [dictionary]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[2] == "ns" and parts[0] not in JUNCTIONS and parts[0] not in GENERIC_PLACES:
                words.append(parts[0])
    return words


def load_jieba_dictionary(dictionary: Path) -> None:
    """Load our user dictionary into jieba (the segmenter spaCy's `zh` tokenizer calls)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    files = sorted(dictionary.iterdir()) if dictionary.is_dir() else [dictionary]
    for path in files:
        jieba.load_userdict(str(path))


def _register_spacy_parts() -> None:
    """Register the token attribute and the three pipeline functions once per process."""
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token
    from spacy.util import filter_spans

    if Token.has_extension("place_class"):
        return
    Token.set_extension("place_class", getter=lambda token: token_class(token.text))
    Span.set_extension("value", default=None)
    # The regular expression's own characters: the span itself is widened to whole tokens so that
    # place patterns cannot cut into it, but the entity is reported exactly ("三个月", not "三个月工资").
    Span.set_extension("exact", default=None)

    @Language.component("yijian_regex_entities")
    def regex_entities(doc: Doc) -> Doc:
        spans = []
        for label, start, end, value in regex_spans(doc.text):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                span._.value = value
                span._.exact = (start, end)
                spans.append(span)
        doc.ents = filter_spans(spans)
        return doc

    @Language.component("yijian_place_chains")
    def place_chains(doc: Doc) -> Doc:
        kept, parts = [], []
        for ent in doc.ents:
            (parts if ent.label_.startswith("PLACE_") else kept).append(ent)
        chains: List[Tuple[int, int, bool]] = []  # token start, end, has a named part
        for part in parts:
            if _NOT_A_ROAD_RE.search(re.sub(r"[上边旁面段]$", "", part.text)):
                continue  # "关门 跑 路", "一段 路": a verb or a measure word before 路
            named = part.label_ == "PLACE_PART" and _names_something(part)
            if chains:
                start, end, had_name = chains[-1]
                gap = [t.text for t in doc[end:part.start]]
                joined = not gap or (len(gap) == 1 and gap[0] in CONNECTORS and part.label_ == "PLACE_PART")
                if joined and had_name:
                    chains[-1] = (start, part.end, True)
                    continue
            if part.label_ == "PLACE_PART":
                chains.append((part.start, part.end, named))
        places = [Span(doc, start, end, label="PLACE") for start, end, named in chains if named]
        doc.ents = filter_spans(kept + places)
        return doc


def _names_something(span) -> bool:
    """A part names a place when a token in it is a name or a suffixed word, not only "3 栋" or "小区"."""
    return any(token._.place_class in ("NAME", "SUFFIXED", "ANON") for token in span) or len(span) == 1 and len(span.text) >= 2 \
        and span[0]._.place_class not in ("SUFFIX", "GENERIC", "NUMBER", "JUNCTION")


@lru_cache(maxsize=4)
def build_pipeline(dictionary: Path = DEFAULT_DICTIONARY, extra_place_words: Tuple[str, ...] = ()):
    """The blank `zh` pipeline with our rules (built once per dictionary; ~0.1 s)."""
    import spacy

    from bot.components.districts import home_city_names

    load_jieba_dictionary(dictionary)
    _register_spacy_parts()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("yijian_regex_entities")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": False})
    words = dictionary_place_words(dictionary) + [text for text, _, _ in home_city_names()] + list(extra_place_words)
    ruler.add_patterns(_place_patterns(words))
    nlp.add_pipe("yijian_place_chains")
    return nlp


def find_entities(text: str, nlp=None) -> List[Found]:
    """Every entity of a text, in order of position (the component's and the tests' entry point)."""
    if not text:
        return []
    doc = (nlp or build_pipeline())(text)
    found = []
    for ent in doc.ents:
        if ent.label_ not in RASA_ENTITY:
            continue
        start, end = ent._.exact or (ent.start_char, ent.end_char)
        if ent.label_ == "PLACE" and ent[-1]._.place_class == "ROAD_TRAIL":
            end -= len(ent[-1].text) - 1  # "宝丰路上" → "宝丰路"
        text_found = text[start:end]
        value = ent._.value if ent._.value is not None else text_found
        found.append(Found(RASA_ENTITY[ent.label_], value, start, end, text_found))
    return found


def first_value(found: Sequence[Found], entity: str) -> Optional[str]:
    """Value of the first entity of a kind, or None."""
    return next((f.value for f in found if f.entity == entity), None)
