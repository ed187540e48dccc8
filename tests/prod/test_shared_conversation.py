"""A conversation keeps its state when its turns land on different Rasa instances.

Rasa's tracker lives in PostgreSQL and its conversation lock in Redis, so either instance can take
the next turn. The resident here fills the complaint form half on one instance and half on the
other; exactly one ticket must come out of it.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.support.chat import TICKET_NUMBER
from tests.support.prod_system import ProdSystem

pytestmark = [pytest.mark.postgres, pytest.mark.rasa]

ASKS_PLACE = re.compile(r"哪里|地点|位置")
COMPLAINT = "我们小区门口的垃圾好几天没人清运了，臭气熏天"
PLACE = "江汉区解放大道688号附近的幸福小区"


def _say(base_url: str, sender: str, text: str) -> str:
    response = requests.post(f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=120)
    response.raise_for_status()
    return "\n".join(message.get("text", "") for message in response.json())


def _file_complaint(say) -> list[str]:
    """Greeting, complaint without a place, the place, the confirmation: four turns."""
    replies = [say("你好"), say(COMPLAINT)]
    assert ASKS_PLACE.search(replies[-1]), f"the bot did not ask where: {replies}"
    replies.append(say(PLACE))
    assert "确认" in replies[-1] and "幸福小区" in replies[-1], f"no summary naming the place: {replies}"
    replies.append(say("确认"))
    assert TICKET_NUMBER.search(replies[-1]), f"no ticket number after the confirmation: {replies}"
    return replies


def _tickets_of(prod: ProdSystem, sender: str) -> list[tuple]:
    return prod.tickets_sql("SELECT number, place, description FROM tickets WHERE conversation_id = %s", sender)


def _rasa_ports_in_access_log(prod: ProdSystem, since: int) -> set[str]:
    text = prod.nginx_access_log.read_text(encoding="utf-8")[since:]
    return set(re.findall(r'"POST /webhooks/rest/webhook [^"]*" 200 .*upstream=127\.0\.0\.1:(\d+)', text))


def test_turns_alternating_between_rasa_a_and_b_file_one_ticket(prod: ProdSystem) -> None:
    sender = f"prod-ab-{uuid.uuid4().hex[:10]}"
    instances = iter(["rasa-a", "rasa-b"] * 2)
    replies = _file_complaint(lambda text: _say(prod.urls[next(instances)], sender, text))
    tickets = _tickets_of(prod, sender)
    assert len(tickets) == 1, f"expected exactly one ticket, found {tickets}; conversation: {replies}"
    number, place, description = tickets[0]
    assert number in replies[-1]
    assert "幸福小区" in place and "垃圾" in description


def test_both_instances_see_the_same_tracker(prod: ProdSystem) -> None:
    sender = f"prod-tracker-{uuid.uuid4().hex[:10]}"
    _say(prod.urls["rasa-a"], sender, COMPLAINT)
    views = [requests.get(f"{prod.urls[name]}/conversations/{sender}/tracker", timeout=30).json()
             for name in ("rasa-a", "rasa-b")]
    texts = [[e.get("text") for e in view["events"] if e.get("event") == "user"] for view in views]
    assert texts[0] == texts[1] == [COMPLAINT]
    assert views[0]["active_loop"] == views[1]["active_loop"] and views[1]["active_loop"].get("name")


def test_conversation_through_the_front_is_balanced_and_files_one_ticket(prod: ProdSystem) -> None:
    sender = f"prod-front-{uuid.uuid4().hex[:10]}"
    log_start = prod.nginx_access_log.stat().st_size
    replies = _file_complaint(lambda text: _say(prod.front_url, sender, text))
    tickets = _tickets_of(prod, sender)
    assert len(tickets) == 1, f"expected exactly one ticket, found {tickets}; conversation: {replies}"
    served_by = _rasa_ports_in_access_log(prod, log_start)
    assert served_by == {str(port) for port in prod.config.rasa_ports}, (
        f"nginx should have spread the turns over both Rasa instances; upstreams seen: {served_by}")
