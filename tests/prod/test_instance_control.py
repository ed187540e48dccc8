"""One dead instance is masked by its twin, and ProdSystem can kill and restart it.

The fault tests go further (a Rasa killed mid-conversation); here: the balancers skip a dead action
server and a dead ticketing worker, which is what the pairs are for.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.prod.turns import file_complaint, say, tickets_of
from tests.support.prod_system import ProdSystem

pytestmark = [pytest.mark.postgres, pytest.mark.rasa]


def test_a_dead_action_server_is_masked_by_its_twin(prod: ProdSystem) -> None:
    prod.kill("actions-a")
    try:
        assert not prod.alive("actions-a")
        sender = f"prod-noactions-a-{uuid.uuid4().hex[:8]}"
        replies = file_complaint(lambda text: say(prod.front_url, sender, text))
        assert len(tickets_of(prod, sender)) == 1, replies
    finally:
        prod.restart("actions-a")
    assert prod.alive("actions-a")
    assert requests.get(f"{prod.urls['actions-a']}/health", timeout=10).status_code == 200


def test_a_dead_ticketing_worker_is_masked_and_restarts(prod: ProdSystem) -> None:
    old_pid = prod.pid("ticketing-b")
    prod.kill("ticketing-b")
    try:
        answers = [requests.get(f"{prod.front_url}/api/health", timeout=10).status_code for _ in range(6)]
        assert answers == [200] * 6
    finally:
        seconds = prod.restart("ticketing-b")
    assert prod.pid("ticketing-b") != old_pid and seconds < 120
    assert requests.get(f"{prod.urls['ticketing-b']}/api/health", timeout=10).status_code == 200
