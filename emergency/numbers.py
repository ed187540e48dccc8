"""The emergency numbers and the first words a resident in danger reads.

Why here and not in the bot: the ticketing service notes the same numbers in the ticket's history,
and both must name them alike.
"""
from __future__ import annotations

from typing import Dict

from emergency.detector import Finding

NUMBER_USES: Dict[str, str] = {
    "110": "报警",
    "119": "火警、燃气泄漏、抢险救援",
    "120": "医疗急救",
    "122": "交通事故",
}


def number_with_use(number: str) -> str:
    """"119（火警、燃气泄漏、抢险救援）"."""
    use = NUMBER_USES.get(number)
    return f"{number}（{use}）" if use else number


def first_reply(finding: Finding) -> str:
    """Whom to call first and why, then the other numbers that may be needed, in one short paragraph."""
    first, *others = finding.numbers
    text = f"您说的情况可能危及生命安全，请立即拨打 {number_with_use(first)}！{finding.reason}"
    if others:
        text += f"如有需要，也请拨打 {'、'.join(number_with_use(n) for n in others)}。"
    return text
