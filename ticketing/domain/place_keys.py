"""Place keys (地点键): one short string per place, so complaints about one place meet in an index.

Residents write a place many ways ("武汉市江汉区解放大道688号附近", "江汉区解放大道"); hotspots join
complaints that name the same place, and at a city's volume that join must come from an index on
(place key, category, day) rather than from reading every text of the period. The key is written once,
at intake (``place_key``), by the same functions the hotspot clustering uses on plain texts.
"""
from __future__ import annotations

import re

PLACE_SUFFIXES = ("小区", "社区", "花园", "家园", "公寓", "广场", "大厦", "商城", "市场", "公园", "医院",
                  "小学", "中学", "学校", "幼儿园", "大学", "村", "镇", "街道", "大道", "路", "街", "巷", "站")
_PLACE_RE = re.compile(r"([\u4e00-\u9fa5]{2,10}?(?:" + "|".join(PLACE_SUFFIXES) + r"))")
# Wuhan's districts, and the anonymised "A3区"/"K2县" of the public message set.
_DISTRICT_RE = re.compile(r"([A-Z]\d{1,2}[区县]|江岸区|江汉区|硚口区|汉阳区|武昌区|青山区|洪山区|东西湖区|汉南区|"
                          r"蔡甸区|江夏区|黄陂区|新洲区)")
_PREFIXES = ("湖北省", "武汉市", "A市", "市")
_TRAILING = ("附近", "旁边", "门口", "对面", "路口", "周边", "一带", "内", "处")
_LEADING_WORDS = re.compile(r"^.{0,12}?(?:反映|投诉|举报|关于|请问|咨询|建议|希望|要求|位于|坚决反对|我是|我们|本人)")
PLACE_KEY_CHARS = 100  # the column's width; longer keys are cut, which keeps equal places equal


def normalise_place(place: str | None) -> str | None:
    """"武汉市江汉区解放大道688号附近" → "江汉区解放大道": no city prefix, door numbers or vague tails."""
    if not place:
        return None
    text = re.sub(r"\s+", "", place)
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    text = re.split(r"[0-9０-９一二三四五六七八九十百]+(?:号|栋|幢|单元|楼|弄|室|期|组)", text)[0]
    text = re.split(r"[0-9０-９]", text)[0]
    for tail in _TRAILING:
        text = text.removesuffix(tail)
    return text or None


def extract_place(text: str) -> str | None:
    """District plus the first place-like phrase in free text ("A3区" + "麓谷明珠小区"), or None.

    Looks at the opening only: residents name the place in the subject or first sentence.
    """
    head = re.sub(r"\s+", "", text[:80])
    for prefix in _PREFIXES[:3]:
        head = head.replace(prefix, "")
    found = _DISTRICT_RE.search(head[:24])
    district = found.group(1) if found else ""
    rest = _LEADING_WORDS.sub("", _DISTRICT_RE.sub("", head), count=1)[:40]
    match = _PLACE_RE.search(rest)
    place = normalise_place(match.group(1)) if match else None
    return district + place if place else None


def place_key(place: str | None, district: str | None, description: str | None) -> str | None:
    """The ticket's place key: its place field normalised, else its district, else a place read from its text."""
    key = normalise_place(place or district) or extract_place(description or "")
    return key[:PLACE_KEY_CHARS] if key else None
