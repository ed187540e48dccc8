"""Pure readings of a resident's text: ticket numbers, kind of request, danger, and what is "content".

No Rasa imports here, so every rule is unit-tested in milliseconds.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, Iterable, List, Optional, Tuple

from emergency import Finding, detect

TICKET_NUMBER_RE = re.compile(r"(?<!\d)(\d{8})\s*-\s*(\d{6})(?!\d)")
MAX_DESCRIPTION_CHARS = 10_000

_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "―": "-", "一": "-"})


def normalise_digits(text: str) -> str:
    """Full-width digits and Chinese dashes become ASCII, as residents type them on phones."""
    return unicodedata.normalize("NFKC", text or "").translate(_DASHES)


def find_ticket_numbers(text: Optional[str]) -> List[str]:
    """All ticket numbers (YYYYMMDD-NNNNNN) in a message, in order, without duplicates."""
    found = (f"{a}-{b}" for a, b in TICKET_NUMBER_RE.findall(normalise_digits(text or "")))
    return list(dict.fromkeys(found))


def ticket_number_from_entities(entities: Iterable[Dict[str, Any]]) -> Optional[str]:
    """First ticket number among NLU entities.

    Both DIET and the RegexEntityExtractor may report the same span; we keep the first well-formed
    value and ignore the copies.
    """
    values = [e.get("value") for e in entities or [] if e.get("entity") == "ticket_number"]
    numbers = [n for v in values if isinstance(v, str) for n in find_ticket_numbers(v)]
    return numbers[0] if numbers else None


# --- kind of request -------------------------------------------------------------------------

_KIND_RULES: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
    ("举报", re.compile(r"举报|检举|揭发")),
    ("投诉", re.compile(r"投诉")),
    ("求助", re.compile(r"求助|救助|帮帮|求求|帮忙|救救")),
    ("建议", re.compile(r"建议|提议|希望.{0,12}(增设|增加|开通|设立|修建|改善)")),
    ("咨询", re.compile(r"^(您好|你好)?[，,]?(请问|咨询|想问|想了解|想咨询)|怎么办理|如何办理|需要什么材料|能不能办|可以办")),
)


def infer_kind(text: str) -> str:
    """The 12345 kind of request (投诉/求助/咨询/建议/举报) by its tell-tale words; default 投诉."""
    for kind, pattern in _KIND_RULES:
        if pattern.search(text or ""):
            return kind
    return "投诉"


# --- danger to life --------------------------------------------------------------------------


def detect_emergency(text: Optional[str]) -> Optional[Finding]:
    """The emergency a message reports (hazard, numbers to call and why), or None when nobody seems in
    danger now. One detector for the bot and the ticketing service: the `emergency` package."""
    return detect(text)


# --- what counts as content ------------------------------------------------------------------

_FILLER_RE = re.compile(
    r"你好|您好|请问|我要|我想|想要|我来|需要|来|要|想|投诉|举报|反映|反应|咨询|求助|建议|一下|一个|个|"
    r"问题|情况|事情|事儿|事|有|的|了|啊|吧|呢|呀|谢谢|麻烦|帮我|帮忙|登记|工单|诉求|提交|说说"
)


def has_letters(text: Optional[str]) -> bool:
    """True when a message has any Chinese character, Latin letter or digit (not only emoji)."""
    return bool(re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", text or ""))


_MARKUP_RE = re.compile(r"<[^>]{0,200}>|https?://\S+|&[a-z]+;")


def without_markup(text: Optional[str]) -> str:
    """Text with HTML tags, entities and URLs removed: a pasted "<p>…</p>" is not English."""
    return _MARKUP_RE.sub(" ", text or "")


def is_mostly_latin(text: Optional[str]) -> bool:
    """True for messages written in English (or pinyin) rather than Chinese."""
    plain = without_markup(text)
    latin = len(re.findall(r"[A-Za-z]", plain))
    chinese = len(re.findall(r"[\u4e00-\u9fa5]", plain))
    return latin >= 3 and chinese * 3 < latin


def is_too_short_to_file(text: Optional[str]) -> bool:
    """True for "我要投诉" or "我想反映个问题": a wish to complain that does not yet say about what."""
    rest = _FILLER_RE.sub("", text or "")
    return len(re.findall(r"[\u4e00-\u9fa5A-Za-z0-9]", rest)) < 2


def truncate_description(text: str) -> Tuple[str, bool]:
    """Fit the ticketing service's 10,000-character limit; say whether anything was cut."""
    if len(text) <= MAX_DESCRIPTION_CHARS:
        return text, False
    return text[:MAX_DESCRIPTION_CHARS], True


# --- NLU entities ------------------------------------------------------------------------------

def entity_values(message: Optional[Dict[str, Any]], entity: str, within: Optional[str] = None) -> List[str]:
    """Values of one kind of entity in a parsed message, in order, without duplicates.

    `within`: keep only values the given text contains, so an entity of the message is not applied to
    another text (the first of several problems, a stored description).
    """
    entities = (message or {}).get("entities") or []
    values = [e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") == entity]
    found = [v for v in values if isinstance(v, str) and v.strip()]
    if within is not None:
        found = [v for v in found if v in within]
    return list(dict.fromkeys(found))


def place_from_entities(message: Optional[Dict[str, Any]], within: Optional[str] = None) -> Optional[str]:
    """The most specific `place` entity, or None: one that names a district first, then the longest
    (the first of equals).

    Why: a letter names several places; the one with a district ("A5区人民路88号") is where it happens
    more often than a longer institution name ("某某职业学校"), and a chain with more parts
    ("青山区和平大道与建设二路交叉口") tells a department more than a bare district mentioned earlier.
    """
    entities = [e for e in (message or {}).get("entities") or [] if isinstance(e, dict)]
    places = [e for e in entities if e.get("entity") == "place" and isinstance(e.get("value"), str)
              and e["value"].strip() and (within is None or e["value"] in within)]
    districts = [e for e in entities if e.get("entity") == "district"]

    def names_a_district(place: Dict[str, Any]) -> bool:
        start, end = place.get("start"), place.get("end")
        return isinstance(start, int) and isinstance(end, int) and any(
            isinstance(d.get("start"), int) and start <= d["start"] < end for d in districts)

    if not places:
        return None
    return max(places, key=lambda p: (names_a_district(p), len(p["value"])))["value"]
