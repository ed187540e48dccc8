"""The walking skeleton end to end: a resident's sentence reaches a department's queue.

Real Chromium, the real rasa-webchat widget, the real trained model, real action server and
ticketing service. Screenshots of both pages stay in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from tests.support.browser import chromium_page
from tests.support.staff import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.rasa]

TICKET_NUMBER = re.compile(r"\d{8}-\d{6}")
COMPLAINT = "路灯坏了一个多星期了，晚上很黑，走路很不安全"
PLACE = "洪山区光谷大道和高新大道路口"


def _bot_messages(page) -> list[str]:
    return [text.strip() for text in page.locator(".rw-response").all_inner_texts()]


def _say(page, text: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")


def _wait_for_bot(page, pattern: str, after: int, timeout_ms: int = 30_000) -> str:
    """Wait for a new bot message (index >= after) matching the regex; return it."""
    regex = re.compile(pattern)
    deadline_ms = 0
    while deadline_ms < timeout_ms:
        for message in _bot_messages(page)[after:]:
            if regex.search(message):
                return message
        page.wait_for_timeout(250)
        deadline_ms += 250
    raise AssertionError(f"no bot message matching {pattern!r}; bot said: {_bot_messages(page)}")


def test_complaint_reaches_staff_list(ticketing_url: str, rasa_url: str, artifacts: Path,
                                      api_headers: dict[str, str]) -> None:
    with chromium_page() as page:
        page.goto(f"{ticketing_url}/")
        page.locator(".rw-new-message").wait_for(timeout=30_000)
        _wait_for_bot(page, r".", after=0)  # the greeting answers the widget's /greet init payload
        before = len(_bot_messages(page))
        _say(page, COMPLAINT)
        _wait_for_bot(page, r"哪里|地点|位置", after=before)
        before = len(_bot_messages(page))
        _say(page, PLACE)
        _wait_for_bot(page, r"确认无误", after=before)
        before = len(_bot_messages(page))
        _say(page, "确认")
        reply = _wait_for_bot(page, TICKET_NUMBER.pattern, after=before)
        number = TICKET_NUMBER.search(reply).group()

        ticket = requests.get(f"{ticketing_url}/api/tickets/{number}", headers=api_headers, timeout=10).json()
        assert ticket["description"].startswith(COMPLAINT)
        assert PLACE in ticket["place"]
        assert ticket["department"]["name"] in reply
        assert ticket["resolve_due_display"] in reply

        before = len(_bot_messages(page))
        _say(page, f"我的工单 {number} 办得怎么样了")
        status = _wait_for_bot(page, number, after=before)
        assert ticket["state"] in status
        page.screenshot(path=str(artifacts / "chat-page.png"), full_page=True)

        sign_in_page(page, ticketing_url)
        row = page.locator(f'tr[data-ticket="{number}"]')
        assert row.count() == 1
        assert row.locator(".department").inner_text().strip() == ticket["department"]["name"]
        due = row.locator(".resolve-due").inner_text()
        numbers = [int(part) for part in re.findall(r"\d+", due)]
        month, day = int(ticket["resolve_due_at"][5:7]), int(ticket["resolve_due_at"][8:10])
        assert month in numbers and day in numbers, due
        assert ticket["resolve_due_at"][11:16] in due, due
        page.screenshot(path=str(artifacts / "staff-page.png"), full_page=True)
