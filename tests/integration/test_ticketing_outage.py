"""When the ticketing service is down the bot says so in Chinese and files nothing half-way."""

from __future__ import annotations

import pytest
import requests

from tests.support.chat import TICKET_NUMBER, Resident

pytestmark = pytest.mark.rasa


def _total(ticketing_url: str, api_headers: dict[str, str]) -> int:
    return requests.get(f"{ticketing_url}/api/tickets", params={"per_page": 1}, headers=api_headers,
                        timeout=10).json()["total"]


def test_outage_is_told_and_nothing_is_filed(stack, rasa_url: str, ticketing_url: str,
                                            api_headers: dict[str, str]) -> None:
    before = _total(ticketing_url, api_headers)
    stack.stop_service("ticketing")
    try:
        resident = Resident(rasa_url)
        reply = resident.follow_through(
            resident.say("汉口火车站东广场的公共厕所坏了好几天，一直没人修"), place="江汉区汉口火车站东广场"
        )
        assert not TICKET_NUMBER.search(reply), resident.transcript
        assert "12345" in reply or "稍后" in reply, resident.transcript
    finally:
        stack.ensure_ticketing()
    assert _total(ticketing_url, api_headers) == before
