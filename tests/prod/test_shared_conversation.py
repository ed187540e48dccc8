"""A conversation keeps its state when its turns land on different Rasa instances.

Rasa's tracker lives in PostgreSQL and its conversation lock in Redis, so either instance can take
the next turn. The resident here fills the complaint form half on one instance and half on the
other; exactly one ticket must come out of it.
"""

from __future__ import annotations

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.prod.turns import COMPLAINT, file_complaint, say, tickets_of
from tests.support.prod_system import ProdSystem

pytestmark = [pytest.mark.postgres, pytest.mark.rasa]


def _rasa_ports_in_access_log(prod: ProdSystem, since: int) -> set[str]:
    text = prod.nginx_access_log.read_text(encoding="utf-8")[since:]
    return set(re.findall(r'"POST /webhooks/rest/webhook [^"]*" 200 .*upstream=127\.0\.0\.1:(\d+)', text))


def test_turns_alternating_between_rasa_a_and_b_file_one_ticket(prod: ProdSystem) -> None:
    sender = f"prod-ab-{uuid.uuid4().hex[:10]}"
    instances = iter(["rasa-a", "rasa-b"] * 2)
    replies = file_complaint(lambda text: say(prod.urls[next(instances)], sender, text))
    tickets = tickets_of(prod, sender)
    assert len(tickets) == 1, f"expected exactly one ticket, found {tickets}; conversation: {replies}"
    number, place, description = tickets[0]
    assert number in replies[-1]
    assert "幸福小区" in place and "垃圾" in description


def test_both_instances_see_the_same_tracker(prod: ProdSystem) -> None:
    sender = f"prod-tracker-{uuid.uuid4().hex[:10]}"
    say(prod.urls["rasa-a"], sender, COMPLAINT)
    views = [requests.get(f"{prod.urls[name]}/conversations/{sender}/tracker", timeout=30).json()
             for name in ("rasa-a", "rasa-b")]
    texts = [[e.get("text") for e in view["events"] if e.get("event") == "user"] for view in views]
    assert texts[0] == texts[1] == [COMPLAINT]
    assert views[0]["active_loop"] == views[1]["active_loop"] and views[1]["active_loop"].get("name")


def test_conversation_through_the_front_is_balanced_and_files_one_ticket(prod: ProdSystem) -> None:
    sender = f"prod-front-{uuid.uuid4().hex[:10]}"
    log_start = prod.nginx_access_log.stat().st_size
    replies = file_complaint(lambda text: say(prod.front_url, sender, text))
    tickets = tickets_of(prod, sender)
    assert len(tickets) == 1, f"expected exactly one ticket, found {tickets}; conversation: {replies}"
    served_by = _rasa_ports_in_access_log(prod, log_start)
    assert served_by == {str(port) for port in prod.config.rasa_ports}, (
        f"nginx should have spread the turns over both Rasa instances; upstreams seen: {served_by}")


def test_simultaneous_turns_on_both_instances_keep_every_event(prod: ProdSystem) -> None:
    """Two turns of one conversation reach rasa-a and rasa-b at the same moment, three times over.

    Rasa's SQL tracker store appends "the events past the number already stored": without a shared
    lock the slower instance would skip as many of its own events as the faster one just wrote. With
    the Redis lock store the turns run one after the other and every user message stays recorded.
    """
    sender = f"prod-race-{uuid.uuid4().hex[:10]}"
    pairs = [("你好", "在吗"), ("谢谢", "请问怎么查询工单"), ("好的", "再见")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for first, second in pairs:
            start = threading.Barrier(2)

            def turn(name: str, text: str) -> str:
                start.wait()
                return say(prod.urls[name], sender, text)

            list(pool.map(turn, ("rasa-a", "rasa-b"), (first, second)))
    tracker = requests.get(f"{prod.rasa_api_url}/conversations/{sender}/tracker", timeout=30).json()
    users = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
    assert sorted(users) == sorted(text for pair in pairs for text in pair), users
    kinds = [e["event"] if e["event"] == "user" else e.get("name") for e in tracker["events"]
             if e["event"] == "user" or (e["event"] == "action" and e.get("name") == "action_listen")]
    after_user = [kinds[i + 1] for i, kind in enumerate(kinds) if kind == "user"]
    assert after_user == ["action_listen"] * len(users), f"turns interleaved: {kinds}"
