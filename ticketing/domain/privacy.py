"""Masking personal data for departments (个人信息保护法): only the hotline sees it in full.

ID card numbers are the exception: nobody sees them in full, because none is stored in clear
(`mask_id_numbers` runs on every new ticket's description, docs/ticketing-api.md "Personal numbers").
The rules for numbers inside free text live in `personal_data`, shared with the bot.
"""
from __future__ import annotations

import re

from personal_data import mask_id_numbers, mask_numbers

__all__ = ["mask_id_numbers", "mask_name", "mask_phone", "mask_text"]


def mask_phone(phone: str | None) -> str | None:
    """138****5678 for mobiles; other numbers keep only their last four digits."""
    if not phone:
        return phone
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_text(text: str) -> str:
    """Mobile, landline and ID numbers (old 15-digit ones too) written inside free text, masked in place."""
    return mask_numbers(text)


def mask_name(name: str | None, anonymous: bool) -> str:
    """Surname plus 先生/女士-neutral stars; anonymous reports show no name at all."""
    if anonymous:
        return "匿名"
    if not name:
        return "未留姓名"
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name
