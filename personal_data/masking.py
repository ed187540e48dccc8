"""Personal numbers inside free text, masked for display: ID numbers, mobiles, landlines.

Why wider than `mask_id_numbers`: a page or a summary hides whatever may be personal, so any 18-digit
number shaped like an ID is masked as one there (an order number hidden by mistake costs nothing),
while the stored text changes only for numbers known to be IDs (ids.py). Ticket numbers
(20261125-000001) and house numbers stay readable.
"""
from __future__ import annotations

import re
from typing import Optional

from personal_data.ids import mask_id, mask_id_numbers

MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_SHAPE = re.compile(r"(?<![0-9Xx*])\d{17}[0-9Xx](?![0-9Xx*])")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")


def mask_numbers(text: Optional[str]) -> str:
    """ID numbers (also any 18-digit one shaped like an ID), mobiles (138****5678) and landlines
    (027-****1234) written inside a text, masked in place."""
    out = ID_SHAPE.sub(lambda m: mask_id(m.group(0)), mask_id_numbers(text or ""))
    out = MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), out)
    return LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), out)
