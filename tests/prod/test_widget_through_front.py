"""A resident's browser talks to the production front only: page, widget script and socket.io.

Real Chromium loads the chat page from nginx; the rasa-webchat widget opens its socket on the same
origin, nginx upgrades it to a WebSocket and pins it to one Rasa instance, and the complaint is filed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.browser import chromium_page
from tests.support.chat import TICKET_NUMBER
from tests.support.prod_system import ProdSystem

pytestmark = [pytest.mark.browser, pytest.mark.rasa, pytest.mark.postgres]

COMPLAINT = "汉阳区钟家村那边的人行道砖松动了好多块，下雨天一踩一脚泥水"
PLACE = "汉阳区钟家村建港小区门口"
LOCAL = re.compile(r"(?:https?|wss?)://(?:127\.\d+\.\d+\.\d+|localhost)[:/]")


def _bot_messages(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [text.strip() for text in page.locator(".rw-response").all_inner_texts()]


def _say_and_wait(page, text: str, pattern: str, timeout_ms: int = 60_000) -> str:  # type: ignore[no-untyped-def]
    """Type a message; return the first new bot message matching ``pattern``."""
    before = len(_bot_messages(page))
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")
    regex = re.compile(pattern)
    for _ in range(timeout_ms // 250):
        for message in _bot_messages(page)[before:]:
            if regex.search(message):
                return message
        page.wait_for_timeout(250)
    raise AssertionError(f"no bot message matching {pattern!r}; bot said: {_bot_messages(page)}")


def test_widget_files_a_complaint_through_the_front(prod: ProdSystem, artifacts: Path) -> None:
    log_start = prod.nginx_access_log.stat().st_size
    with chromium_page() as page:
        local = []  # requests to this machine: all must go to the front, none to a Rasa port
        page.on("request", lambda request: local.append(request.url) if LOCAL.match(request.url) else None)
        page.on("websocket", lambda socket: local.append(socket.url))
        page.goto(f"{prod.front_url}/")
        page.locator(".rw-new-message").wait_for(timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.rw-response').length > 0", timeout=60_000)
        reply = _say_and_wait(page, COMPLAINT, r"哪里|地点|位置|确认无误")
        if "确认无误" not in reply:
            _say_and_wait(page, PLACE, r"确认无误")
        reply = _say_and_wait(page, "确认", TICKET_NUMBER.pattern)
        page.screenshot(path=str(artifacts / "prod-chat-page.png"), full_page=True)
    number = TICKET_NUMBER.search(reply).group()
    assert prod.tickets_sql("SELECT channel FROM tickets WHERE number = %s", number) == [("chat",)]
    front = urlsplit(prod.front_url).netloc
    assert local and {urlsplit(url).netloc for url in local} == {front}, f"the page went past the front: {local}"
    assert any(url.startswith(f"ws://{front}/socket.io/") for url in local), f"no WebSocket to the front: {local}"
    assert _websocket_logged(prod, log_start), "the widget's socket did not upgrade to a WebSocket through nginx"


def _websocket_logged(prod: ProdSystem, log_start: int) -> bool:
    """nginx logs a WebSocket when it closes, a moment after the browser has gone."""
    upgraded = re.compile(r'"GET /socket\.io/\?[^"]*transport=websocket[^"]*" 101 ')
    for _ in range(20):
        if upgraded.search(prod.nginx_access_log.read_text(encoding="utf-8")[log_start:]):
            return True
        time.sleep(0.5)
    return False
