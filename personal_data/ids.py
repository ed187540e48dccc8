"""Resident identity card numbers (居民身份证号码, GB 11643) in free text.

Why a check and a cue: an 18-digit run is no phone number whatever it is, but only a number that
python-stdnum's `cn.ric` accepts (check digit, birth date, region code), or one the resident introduces
as an ID ("身份证…", "证件号码…"), is taken for one: other long numbers (an order, a bank account) stay as
written. Old 15-digit numbers (issued before 1999) carry no check digit: a known region code and a valid
birth date (YYMMDD), or a cue. A resident may group the digits ("110105 19491231 002X").

The masked form keeps the region (first 6) and the last 4 (3) and hides the birth date and the rest,
as the department pages always showed them: 110105********002X, 110105******002. Masked numbers are
found too ("110105********002X" is what the chat channel passes on), so nothing downstream takes their
digits for a phone number.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import List, Optional

from stdnum import numdb
from stdnum.cn import ric

_LEFT = r"(?<![0-9A-Za-z*])"
_RIGHT = r"(?![0-9A-Za-z*])"
_NEW_RE = re.compile(rf"{_LEFT}\d{{6}}[ -]?\d{{8}}[ -]?\d{{3}}[0-9Xx]{_RIGHT}")
_OLD_RE = re.compile(rf"{_LEFT}\d{{6}}[ -]?\d{{6}}[ -]?\d{{3}}{_RIGHT}")
_MASKED_RE = re.compile(rf"{_LEFT}(?:\d{{6}}\*{{8}}\d{{3}}[0-9Xx]|\d{{6}}\*{{6}}\d{{3}}){_RIGHT}")
# "身份证号码：", "身份证号是", "证件号码为", "公民身份号码" just before the digits.
_CUE_RE = re.compile(r"(?:身份|证件)[\u4e00-\u9fa5]{0,4}[:：\s]*$")
CUE_WINDOW = 10


@dataclass(frozen=True)
class IdNumber:
    """One ID number in a text: its span, its digits (no separators; '*' where already masked)."""

    start: int
    end: int
    digits: str
    valid: bool
    masked: bool = False

    @property
    def masked_digits(self) -> str:
        return mask_id(self.digits)


def _digits(raw: str) -> str:
    return re.sub(r"[ -]", "", unicodedata.normalize("NFKC", raw)).upper()


def _is_old_id(digits: str) -> bool:
    """15 digits: a region code python-stdnum knows and a birth date 19YY-MM-DD that exists."""
    try:
        datetime.date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    except ValueError:
        return False
    return any(props for _, props in numdb.get("cn/loc").info(digits[:6]))


def is_id_number(number: Optional[str]) -> bool:
    """True for an 18-digit number with a valid GB 11643 check digit, birth date and region, or an
    old 15-digit one with a known region and a valid birth date."""
    digits = _digits(number or "")
    if len(digits) == 18:
        return ric.is_valid(digits)
    return len(digits) == 15 and digits.isdigit() and _is_old_id(digits)


def _plain(text: str) -> str:
    """Full-width digits as ASCII, where that keeps every character's offset."""
    plain = unicodedata.normalize("NFKC", text)
    return plain if len(plain) == len(text) else text


def find_id_numbers(text: Optional[str]) -> List[IdNumber]:
    """Every ID number in a text, in order: valid ones, cued ones (even mistyped) and masked ones."""
    plain = _plain(text or "")
    found = [IdNumber(m.start(), m.end(), m.group(0).upper(), False, True) for m in _MASKED_RE.finditer(plain)]
    for pattern in (_NEW_RE, _OLD_RE):
        for match in pattern.finditer(plain):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            digits, valid = _digits(match.group(0)), is_id_number(match.group(0))
            if valid or _CUE_RE.search(plain[max(0, match.start() - CUE_WINDOW): match.start()]):
                found.append(IdNumber(match.start(), match.end(), digits, valid))
    return sorted(found, key=lambda f: f.start)


def mask_id(number: str) -> str:
    """110105********002X (18 digits) or 110105******002 (15); a masked number stays as it is."""
    digits = _digits(number)
    if "*" in digits:
        return digits
    if len(digits) == 18:
        return digits[:6] + "*" * 8 + digits[-4:]
    return digits[:6] + "*" * max(len(digits) - 9, 0) + digits[-3:]


def mask_id_numbers(text: Optional[str]) -> str:
    """The text with every ID number `find_id_numbers` sees masked in place; nothing else changes."""
    out = text or ""
    for found in reversed(find_id_numbers(out)):
        if not found.masked:
            out = out[:found.start] + mask_id(found.digits) + out[found.end:]
    return out
