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
