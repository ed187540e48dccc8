"""Masking personal data for departments (个人信息保护法): only the hotline sees it in full."""
from __future__ import annotations

import re

MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9Xx])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9Xx])")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")


def mask_phone(phone: str | None) -> str | None:
    """138****5678 for mobiles; other numbers keep only their last four digits."""
    if not phone:
        return phone
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_text(text: str) -> str:
    """Mobile, landline and ID numbers written inside free text, masked in place."""
    text = ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(3)[-4:].rjust(4, "*"), text)
    text = MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def mask_name(name: str | None, anonymous: bool) -> str:
    """Surname plus 先生/女士-neutral stars; anonymous reports show no name at all."""
    if anonymous:
        return "匿名"
    if not name:
        return "未留姓名"
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name
