"""How a resident wants to hear back (短信 / 邮件 / 不需要) and what counts as a phone or an e-mail address.

Kept as plain rules so the API, the staff intake form and Open311 refuse the same bad input with the same
Chinese message, and the notifier knows whom it may write to.
"""
from __future__ import annotations

import hashlib
import re
from typing import Literal

SMS, EMAIL, NONE = "sms", "email", "none"
CONTACT_CHANNELS = (SMS, EMAIL, NONE)
ContactChannel = Literal["sms", "email", "none"]
CONTACT_CHANNEL_LABELS = {SMS: "短信", EMAIL: "邮件", NONE: "不需要"}
_BY_LABEL = {label: code for code, label in CONTACT_CHANNEL_LABELS.items()}

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(r"^(?:\+?86)?0\d{2,3}\d{7,8}(?:\d{1,6})?$|^\d{7,8}$|^(?:1\d{4}|9\d{4})$")
# Deliberately plain (RFC 5321 lengths, one @, a dot in the domain, no spaces or markup): the SMTP server
# is the final judge, this only catches what is plainly not an address.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")

PHONE_INVALID = "联系电话格式不正确，请填写11位手机号或带区号的固定电话。"
MOBILE_NEEDED = "选择短信告知时，请填写11位手机号码。"
EMAIL_INVALID = "电子邮箱格式不正确，例如 zhangsan@example.com。"
EMAIL_NEEDED = "选择邮件告知时，请填写电子邮箱。"
CHANNEL_INVALID = "告知方式只能是：短信、邮件、不需要。"


def channel_code(value: str | None) -> str | None:
    """``sms``/``email``/``none`` from a code or its Chinese label; None when not given; ValueError otherwise."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    code = _BY_LABEL.get(text, text.lower())
    if code not in CONTACT_CHANNELS:
        raise ValueError(CHANNEL_INVALID)
    return code


def _digits(phone: str) -> str:
    return re.sub(r"[\s\-()]", "", phone)


def mobile_number(phone: str | None) -> str | None:
    """The 11-digit mainland mobile number in ``phone`` (``+86`` and separators dropped), or None."""
    if not phone:
        return None
    match = _MOBILE.match(_digits(phone))
    return match.group(1) if match else None


def is_phone(phone: str) -> bool:
    """A mobile, a landline with area code (extension allowed), a local 7–8 digit number or a 5-digit service line."""
    return mobile_number(phone) is not None or bool(_LANDLINE.match(_digits(phone)))


def is_email(address: str) -> bool:
    return len(address) <= 254 and bool(_EMAIL.match(address))


def check_contact(channel: str | None, phone: str | None, email: str | None) -> str | None:
    """The Chinese reason the combination is refused, or None when it is usable."""
    if phone and not is_phone(phone):
        return PHONE_INVALID
    if email and not is_email(email):
        return EMAIL_INVALID
    if channel == SMS and not mobile_number(phone):
        return MOBILE_NEEDED
    if channel == EMAIL and not email:
        return EMAIL_NEEDED
    return None


def address_hash(channel: str, address: str) -> str:
    """The key an opt-out (退订) is stored under: a hash, so the table holds no phone or e-mail in clear."""
    normal = (mobile_number(address) or address) if channel == SMS else address.strip().lower()
    return hashlib.sha256(f"yijian-optout|{channel}|{normal}".encode()).hexdigest()


def recipient(channel: str | None, phone: str | None, email: str | None) -> str | None:
    """Where a message on ``channel`` goes: the mobile number for SMS, the address for e-mail."""
    if channel == SMS:
        return mobile_number(phone)
    if channel == EMAIL:
        return email or None
    return None
