"""How the resident wants to hear back (短信 / 邮件 / 不需要), read from the answer to the summary.

Why in the summary and not a question of its own: the summary already invites the missing details in
ONE turn; the notice line there says which channel will be used (短信 by default when a mobile number
was given, else 不需要) and how to change it ("发送邮箱地址", "不需要告知"). The choice goes to the
ticketing service as `contact_channel` / `contact_email` (docs/notifications.md). An anonymous resident
may still choose e-mail: the address is never shown to departments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from actions.details import mask_phone, phone_digits

SMS, EMAIL, NONE = "sms", "email", "none"
LABELS = {SMS: "短信", EMAIL: "邮件", NONE: "不需要"}

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]{1,63})*\.[A-Za-z]{2,24}")
_EMAIL_ATTEMPT = re.compile(r"[^\s，。、；：,;:]*[@＠][^\s，。、；：,;:]*")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_NONE = re.compile(r"(不需要|不用|无需|不必|别|不要)(再)?(告知|通知|回复|发短信|发邮件|短信|邮件|告诉我|联系我)")
_SMS = re.compile(r"短信")
_MAIL = re.compile(r"邮件|邮箱|email|e-mail", re.IGNORECASE)

BAD_EMAIL = "邮箱地址“{email}”格式不正确，请重新发送，例如 zhangsan@example.com。"
ASK_EMAIL = "请发送您的邮箱地址，例如 zhangsan@example.com，办理结果将通过邮件告知您。"
ASK_MOBILE = "短信告知需要您的11位手机号码，请发送手机号码（承办单位只能看到打码后的号码）。"


@dataclass
class NotifyReading:
    updates: Dict[str, Any] = field(default_factory=dict)
    say: List[str] = field(default_factory=list)
    rest: str = ""  # the text without the e-mail address, for the other readers (time, name, phone)


def read_notify_choice(text: str, slots: Dict[str, Any]) -> NotifyReading:
    """A channel choice or an e-mail address in an answer; a question back when one is malformed or missing."""
    text = text or ""
    found = _EMAIL.search(text)
    if found:
        return NotifyReading({"notify_channel": EMAIL, "contact_email": found.group(0)},
                             rest=(text[:found.start()] + " " + text[found.end():]).strip())
    attempt = _EMAIL_ATTEMPT.search(text)
    if attempt and len(attempt.group(0)) > 1:
        return NotifyReading(say=[BAD_EMAIL.format(email=attempt.group(0)[:60].replace("<", "＜").replace(">", "＞"))])
    if _NONE.search(text):
        return NotifyReading({"notify_channel": NONE}, rest=_NONE.sub(" ", text).strip())
    if _MAIL.search(text):
        if slots.get("contact_email"):
            return NotifyReading({"notify_channel": EMAIL}, rest=_MAIL.sub(" ", text).strip())
        return NotifyReading(say=[ASK_EMAIL])
    if _SMS.search(text):
        rest = _SMS.sub(" ", text).strip()
        if not _mobile(slots.get("contact_phone")) and not re.search(r"1[3-9]\d{9}", re.sub(r"\D", "", rest)):
            return NotifyReading(say=[ASK_MOBILE])
        return NotifyReading({"notify_channel": SMS}, rest=rest)
    return NotifyReading(rest=text)


def _mobile(phone: Any) -> bool:
    return bool(phone) and bool(_MOBILE.match(phone_digits(str(phone))))


def effective_channel(slots: Dict[str, Any]) -> str:
    """The channel that will really be used: the choice when it can be honoured, else 短信 for a mobile
    number given without anonymity, else 不需要."""
    chosen = slots.get("notify_channel")
    mobile = _mobile(slots.get("contact_phone")) and not slots.get("anonymous")
    if chosen == EMAIL and slots.get("contact_email"):
        return EMAIL
    if chosen == NONE:
        return NONE
    return SMS if mobile else NONE


def notify_line(slots: Dict[str, Any]) -> str:
    """The summary's line, e.g. "办理结果告知：短信（138****5678）"."""
    channel = effective_channel(slots)
    if channel == SMS:
        detail = f"短信（{mask_phone(str(slots.get('contact_phone')))}）"
    elif channel == EMAIL:
        detail = f"邮件（{mask_email(str(slots.get('contact_email')))}）"
    else:
        detail = "不需要（您可凭工单编号在这里查询进度）"
    return f"办理结果告知：{detail}"


def notify_invitation(slots: Dict[str, Any]) -> str:
    if effective_channel(slots) == SMS:
        return "如需改用邮件告知，请发送邮箱地址；不需要告知请回复“不需要告知”。"
    if effective_channel(slots) == EMAIL:
        return "如需改用短信告知，请回复“短信”和手机号码；不需要告知请回复“不需要告知”。"
    return "如希望收到办理结果，请发送手机号码（短信告知）或邮箱地址（邮件告知）。"


def mask_email(address: str) -> str:
    """zh***@example.com: enough for the resident to recognise, nothing for a screen reader behind them."""
    local, _, domain = address.partition("@")
    return f"{local[:2]}***@{domain}"


def payload_fields(complaint: Dict[str, Any]) -> Dict[str, Any]:
    """`contact_channel` (+ `contact_email`) for POST /api/tickets, from the complaint's slots."""
    channel = effective_channel(complaint)
    fields: Dict[str, Any] = {"contact_channel": channel}
    if channel == EMAIL:
        fields["contact_email"] = complaint.get("contact_email")
    return fields


def channel_sentence(channel: Optional[str]) -> str:
    """What the resident is told about hearing back, true to the choice."""
    if channel == SMS:
        return "办理进展和答复将通过短信告知您。"
    if channel == EMAIL:
        return "办理进展和答复将通过邮件告知您。"
    return ""
