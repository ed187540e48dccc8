"""Pure readings of the details a ticket carries besides what and where: when, and who to call back.

Residents answer in one breath ("昨天晚上，张先生 13812345678") or correct themselves ("不对，是在汉口"),
so each reader here looks for its own piece anywhere in a message and leaves the rest alone.
No Rasa imports: every rule is unit-tested in milliseconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import unicodedata

from actions.parsing import TICKET_NUMBER_RE
from personal_data import find_id_numbers

# --- when ------------------------------------------------------------------------------------

_DAY = (
    r"(?:大前天|前天|昨天|今天|今早|今晨|昨晚|今晚|前晚|昨夜|上午|下午|中午|傍晚|晚上|夜里|夜间|半夜|深夜|凌晨|早上|清晨|"
    r"刚才|刚刚|上周[一二三四五六日天末]?|本周[一二三四五六日天末]?|这周[一二三四五六日天末]?|上个?月|这个?月|本月|"
    r"去年|今年|前几天|这几天|前段时间|这段时间|最近|近期|近日|周[一二三四五六日末]|星期[一二三四五六日天]|"
    r"(?<!\d)\d{4}年|(?<!\d)\d{1,2}月(?:(?<!\d)\d{1,2}[日号](?![楼院栋线门]))?(?:[上中下]旬|初|底)?|"
    r"(?<![\d.])\d{1,2}日)"
)
_CLOCK = r"(?:[零一二两三四五六七八九十\d]{1,3}[点时](?:半|[零一二三四五六七八九十\d]{1,3}分?)?(?:左右|多)?)"
_DURATION = r"(?:(?:[一二两三四五六七八九十几\d]|好几)+个?多?(?:天|周|星期|礼拜|个月|年)(?:多)?(?:了|以来|之久)?)"
_FREQUENT = r"(?:每天|每晚|每周|天天|每到|长期|一直)"
_TIME_RE = re.compile(
    rf"{_FREQUENT}?{_DAY}(?:{_DAY}|{_CLOCK}|到|至)*|{_FREQUENT}?{_CLOCK}(?:到|至|{_CLOCK})*|{_DURATION}|每天|每晚|天天"
)
_TIME_UNKNOWN_RE = re.compile(r"^(?:时间)?(?:我)?(?:也)?(?:不清楚|不知道|不记得|记不清|忘了|说不清|不确定|不详)(?:了|啊|呢)?$")
TIME_UNKNOWN = "不清楚"


def _nfkc(text: Optional[str]) -> str:
    """Full-width digits to ASCII; unlike parsing.normalise_digits, "一" stays a Chinese numeral."""
    return unicodedata.normalize("NFKC", text or "")


def extract_event_time(text: Optional[str]) -> Optional[str]:
    """The first time expression in a message ("昨天晚上8点", "一个多星期了"), or None."""
    for match in _TIME_RE.finditer(_nfkc(text or "")):
        if len(match.group(0)) >= 2:
            return match.group(0)
    return None


def is_time_unknown(text: str) -> bool:
    """"不清楚" in answer to "when?" is an answer, not a reason to ask again."""
    return bool(_TIME_UNKNOWN_RE.match(_bare(text)))


# --- who to call back ------------------------------------------------------------------------

MAX_PHONE_DIGITS = 13  # +86 and a mobile; a landline with its area code has 12 at most
_PHONE_RUN_RE = re.compile(r"(?:\+?86[\s-]?)?\d[\d\s-]{4,}\d")
_PHONE_CUE_RE = re.compile(r"电话|手机|号码|联系方式|座机|打给我|联系我")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{9,11}$")
_LOCAL_RE = re.compile(r"^[2-9]\d{6,7}$")
# "我是" and "本人" name someone only with a title ("我是王女士"): "我是锦绣小区业主" names no one.
_NAME_RE = re.compile(
    r"(?:我叫|我是|本人|姓名[是:：]?|名字[是叫:：]?|联系人[是:：]?|称呼[是:：]?)\s*([\u4e00-\u9fa5]{1,3}(?:先生|女士|小姐|阿姨|师傅|老师))|"
    r"(?:我叫|姓名[是:：]?|名字[是叫:：]?|联系人[是:：]?|称呼[是:：]?)\s*([\u4e00-\u9fa5]{2,4}?)(?=[，,。.!！?？\s\d]|电话|手机|$)"
)
_TITLE_RE = re.compile(r"(?<![\u4e00-\u9fa5])([\u4e00-\u9fa5]{1,2})(先生|女士|小姐|阿姨|师傅|老师)")
_SURNAME_RE = re.compile(r"(?:我|本人)?姓([\u4e00-\u9fa5])")
_ANONYMOUS_RE = re.compile(r"匿名|不留(?:联系|电话|姓名|名字)?|不想留|不愿意?留|不方便留|不公开|保密")
_NAME_NOISE_RE = re.compile(
    r"电话|手机|号码|联系方式|座机|身份证号?|证件号?|是|我|的|叫|姓名|名字|联系人|确认|提交|好的|可以|[^\u4e00-\u9fa5]")


def without_id_numbers(text: str) -> str:
    """The text with each ID number (valid, cued or already masked) blanked out, offsets kept."""
    for found in find_id_numbers(text):
        text = text[:found.start] + " " * (found.end - found.start) + text[found.end:]
    return text


def phone_digits(raw: str) -> str:
    """Digits of a phone number as typed ("027-8555 1234", "+86 138…"), country code dropped."""
    digits = re.sub(r"\D", "", _nfkc(raw))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_valid_phone(raw: str) -> bool:
    """A Chinese mobile (11 digits, 1[3-9]…), a landline with area code (027-85551234) or a local one."""
    digits = phone_digits(raw)
    return bool(_MOBILE_RE.match(digits) or _LANDLINE_RE.match(digits) or _LOCAL_RE.match(digits))


def find_phone_attempt(text: Optional[str]) -> Optional[str]:
    """The digits the resident meant as a phone number (valid or not), or None.

    A run of 6+ digits counts, or any digits right after a cue word ("电话138"); ticket numbers, ID
    numbers (personal_data) and house numbers ("688号") do not. A valid number wins over an earlier
    attempt: a letter's "共计120000元" before "联系电话139…" is no mistyped phone.
    """
    plain = TICKET_NUMBER_RE.sub(" ", without_id_numbers(_nfkc(text or "")))
    attempts = []
    for match in _PHONE_RUN_RE.finditer(plain):
        digits = phone_digits(match.group(0))
        if len(digits) > MAX_PHONE_DIGITS:
            continue  # an order or account number: no phone has that many digits
        if len(digits) >= 6 or _PHONE_CUE_RE.search(plain[max(0, match.start() - 6): match.start()]):
            attempts.append(match.group(0).strip())
    if attempts:
        return next((a for a in attempts if is_valid_phone(a)), attempts[0])
    cued = re.search(r"(?:电话|手机|号码)[是:：\s]*(\d{1,5})(?![\d号栋楼])", plain)
    return cued.group(1) if cued else None


def extract_name(text: Optional[str], phone: Optional[str] = None) -> Optional[str]:
    """The name the resident gives ("我叫张三", "王女士", "姓李"), or a bare name next to a phone number."""
    plain = text or ""
    for pattern in (_NAME_RE, _TITLE_RE):
        match = pattern.search(plain)
        if match:
            return match.group(0) if pattern is _TITLE_RE else match.group(1) or match.group(2)
    surname = _SURNAME_RE.search(plain)
    if surname:
        return f"{surname.group(1)}先生/女士"
    if phone:
        rest = _NAME_NOISE_RE.sub("", plain.replace(phone, ""))
        if 2 <= len(rest) <= 4:
            return rest
    return None


def wants_anonymity(text: Optional[str]) -> bool:
    """"匿名", "不留电话": the resident chooses not to be identified to the department."""
    return bool(_ANONYMOUS_RE.search(text or ""))


def mask_phone(phone: str) -> str:
    """138****5678, as the design says phone numbers are shown back."""
    digits = phone_digits(phone)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else digits


# --- corrections and confirmation ------------------------------------------------------------

_AFFIRM_RE = re.compile(
    r"^(?:是|是的|对|对的|确认|确定|没错|没问题|正确|可以|好|好的|行|提交|确认提交|确认无误|就这样|嗯|嗯嗯|ok|okay|yes)"
    r"(?:的|了|啊|吧|呀|提交|无误|没问题|可以)*$",
    re.IGNORECASE,
)
_AFFIRM_WORD_RE = re.compile(r"确认|确定|提交|没问题|没错|是的|对的|可以")
_CHANGE_ONLY_RE = re.compile(
    r"^(?:不对|不是|错了|有错|有误|不正确|修改|我要修改|要修改|需要修改|改一下|修改一下|更正|更正一下|重新填|不对劲|有问题|不行)"
    r"(?:的|了|啊|吧|呀|呢)*$"
)
_CORRECTION_RE = re.compile(
    r"^(?:不对|不是|错了|搞错了|说错了|有误|更正一下|更正|纠正一下|修改一下|改一下|应该)?[，,。\s]*"
    r"(?:应该)?(?:是在|是|在|改成|改为|换成|应为)(.+)$"
)
_FIELD_RE = re.compile(
    r"(地点|地址|位置|时间|问题|内容|描述|情况|电话|手机|号码|姓名|名字|联系人)"
    r"(?:不对|错了|写错了|有误|也不对)?[，,。\s]*(?:应该)?(?:是在|是|改成|改为|换成|应为|[:：])(.+)"
)
_FIELD_SLOTS = {"地点": "place", "地址": "place", "位置": "place", "时间": "event_time", "问题": "description",
                "内容": "description", "描述": "description", "情况": "description", "电话": "contact_phone",
                "手机": "contact_phone", "号码": "contact_phone", "姓名": "contact_name", "名字": "contact_name",
                "联系人": "contact_name"}


def _bare(text: Optional[str]) -> str:
    return (text or "").strip(" \t\r\n，。！？,.!?～~、；;")


def is_affirmation(text: Optional[str]) -> bool:
    """"是的", "确认提交", "没问题": yes to the summary, and nothing else."""
    return bool(_AFFIRM_RE.match(_bare(text)))


def contains_affirmation(text: Optional[str]) -> bool:
    """"匿名，确认提交": details plus a yes."""
    return bool(_AFFIRM_WORD_RE.search(text or ""))


def is_change_request(text: Optional[str]) -> bool:
    """"不对" or "修改" alone: something is wrong but the resident has not said what."""
    return bool(_CHANGE_ONLY_RE.match(_bare(text)))


def correction_target(text: Optional[str]) -> Optional[Tuple[str, str]]:
    """(slot, new value) for "地点改成汉口", "时间不对，是昨天" or "不对，是在汉口"; None otherwise.

    A correction without a field name is a time when the new value reads as one, else a place.
    """
    bare = _bare(text)
    named = _FIELD_RE.search(bare)
    if named:
        return _FIELD_SLOTS[named.group(1)], _bare(named.group(2))
    loose = _CORRECTION_RE.match(bare)
    if not loose or not re.match(r"^(?:不对|不是|错了|搞错了|说错了|有误|更正|纠正|修改|改一下|应该)", bare):
        return None
    value = _bare(loose.group(1))
    if not value:
        return None
    time = extract_event_time(value)
    return ("event_time", value) if time and len(time) >= len(value) - 2 else ("place", value)


@dataclass
class DetailReading:
    """What one message says about time and contact; `bad_phone` is an attempt that is no number."""

    updates: Dict[str, object] = field(default_factory=dict)
    bad_phone: Optional[str] = None


def read_contact(text: Optional[str]) -> DetailReading:
    """Phone, name or anonymity in a message; an invalid phone is reported, not stored."""
    reading = DetailReading()
    if wants_anonymity(text):
        reading.updates.update(anonymous=True, contact_name=None, contact_phone=None)
        return reading
    phone = find_phone_attempt(text)
    if phone and not is_valid_phone(phone):
        reading.bad_phone = phone
        return reading
    if phone:
        reading.updates.update(contact_phone=phone_digits(phone), anonymous=False)
    name = extract_name(text, phone)
    if name:
        reading.updates["contact_name"] = name
    return reading


def missing_details(slots: Dict[str, object]) -> List[str]:
    """Which optional details the summary still invites: 发生时间, 联系方式."""
    missing = []
    if not slots.get("event_time"):
        missing.append("发生时间")
    if not slots.get("contact_phone") and not slots.get("anonymous"):
        missing.append("联系方式")
    return missing
