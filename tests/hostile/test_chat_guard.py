"""The chat's guard (bot/channels/) on a real Rasa server: rate limits, long and malformed messages,
and what the resident hears when the action server is down.

Runs its own copy of the system (not the suite's shared one) because it stops the action server.
Per conversation the limit is credentials.yml's (10 messages at once, then 30 a minute). Per client
address production allows 60 at once, then 120 a minute — more than one Rasa process can answer on this
machine, so here the address bucket is tightened through YIJIAN_CHAT_LIMIT_PER_ADDRESS to show it works.
"""
from __future__ import annotations

import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
import requests

from tests.support.chat import TICKET_NUMBER, Resident
from tests.support.system import SystemUnderTest

pytestmark = pytest.mark.rasa

TOO_FAST = "太快"
UNAVAILABLE = "暂时出现故障"
# bot/channels/guard.py UNAVAILABLE, whole (that module imports Rasa, absent from this environment)
NOTICE = "抱歉，系统暂时出现故障，您刚才的消息没有办理成功。请稍后再试，或直接拨打 12345 热线反映。"
SENDER_BURST, ADDRESS_BURST = 10, 20


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory, artifacts) -> Iterator[SystemUnderTest]:  # type: ignore[no-untyped-def]
    system = SystemUnderTest(tmp_path_factory.mktemp("guarded"), artifacts / "logs-guard")
    os.environ["YIJIAN_CHAT_LIMIT_PER_ADDRESS"] = f"{ADDRESS_BURST}/6"  # read by the Rasa process it starts
    try:
        system.ensure_rasa()
    finally:
        del os.environ["YIJIAN_CHAT_LIMIT_PER_ADDRESS"]
    yield system
    system.stop_all()


def _say(rasa_url: str, sender: str, text: str, **headers: str) -> list[dict]:
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             headers=headers, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def _text(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def test_a_burst_from_one_conversation_is_told_to_slow_down_then_it_resets(guarded: SystemUnderTest) -> None:
    url, sender = guarded.config.rasa_url, f"burst-{uuid.uuid4().hex[:8]}"
    replies = [_text(_say(url, sender, "你好")) for _ in range(SENDER_BURST + 6)]
    refused = [r for r in replies if TOO_FAST in r]
    assert refused, f"no limit after {len(replies)} messages: {replies[-3:]}"
    assert all(r == refused[0] for r in refused) and "12345" in refused[0]
    assert all(TOO_FAST not in r and r for r in replies[:SENDER_BURST]), "the burst allowance was not granted"
    time.sleep(2.5)  # 30 a minute: a token is back after 2 s
    assert TOO_FAST not in _text(_say(url, sender, "你好")), "the limit did not reset"


def test_a_normal_resident_never_hits_the_limit(guarded: SystemUnderTest) -> None:
    resident = Resident(guarded.config.rasa_url)
    reply = resident.follow_through(resident.say("我家楼下的路灯坏了好几天了，晚上很黑"), place="武昌区中南路 8 号")
    resident.say("谢谢")
    assert all(TOO_FAST not in answer for _, answer in resident.transcript), resident.transcript
    assert TICKET_NUMBER.search(reply), resident.transcript


def test_many_conversations_from_one_address_are_limited_but_not_other_addresses(guarded: SystemUnderTest) -> None:
    """Behind the (trusted, loopback) proxy, X-Forwarded-For names the client: a script opening a new
    conversation per message is stopped by the per-address bucket; another address still gets answers."""
    url, flood = guarded.config.rasa_url, "198.51.100.23"

    def one(index: int) -> str:
        return _text(_say(url, f"flood-{index}-{uuid.uuid4().hex[:6]}", "/greet", **{"X-Forwarded-For": flood}))

    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(one, range(ADDRESS_BURST + 15)))
    assert sum(TOO_FAST in r for r in replies) >= 5, "no per-address limit"
    other = _text(_say(url, f"other-{uuid.uuid4().hex[:6]}", "/greet", **{"X-Forwarded-For": "203.0.113.50"}))
    assert other and TOO_FAST not in other


def test_spoofed_forwarded_for_from_the_client_itself_is_ignored(guarded: SystemUnderTest) -> None:
    """A client that writes its own X-Forwarded-For before the proxy's entry cannot pick its address:
    the rightmost untrusted entry counts, so rotating the leftmost one does not reset the bucket."""
    url = guarded.config.rasa_url

    def one(index: int) -> str:
        forwarded = f"10.9.{index // 250}.{index % 250}, 198.51.100.77"
        return _text(_say(url, f"spoof-{index}-{uuid.uuid4().hex[:6]}", "/greet", **{"X-Forwarded-For": forwarded}))

    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(one, range(ADDRESS_BURST + 15)))
    assert sum(TOO_FAST in r for r in replies) >= 5


def test_oversized_and_malformed_chat_requests_are_refused_cleanly(guarded: SystemUnderTest) -> None:
    url = guarded.config.rasa_url
    too_long = _text(_say(url, f"long-{uuid.uuid4().hex[:6]}", "路灯坏了" * 262144))  # 1 M characters
    assert "太长" in too_long
    for body in (b"[1, 2, 3]", b"not json", b'{"sender": {"$gt": ""}, "message": "hi"}', b'{"message": 5}'):
        response = requests.post(f"{url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"}, timeout=30)
        assert response.status_code == 400, (body, response.status_code, response.text[:200])
    assert requests.get(f"{url}/status", timeout=10).status_code == 200, "Rasa did not survive"


def test_action_server_down_is_told_in_chinese(guarded: SystemUnderTest) -> None:
    guarded.stop_service("actions")
    try:
        resident = Resident(guarded.config.rasa_url)
        reply = resident.say("我家楼下的路灯坏了好几天了，晚上很黑")
        reply = resident.follow_through(reply, place="武昌区中南路 8 号") if UNAVAILABLE not in reply else reply
        said = "\n".join(answer for _, answer in resident.transcript)
        assert UNAVAILABLE in said and "12345" in said, resident.transcript
        assert not TICKET_NUMBER.search(said)
        failed_turns = [answer for _, answer in resident.transcript if UNAVAILABLE in answer]
        assert all(answer.strip() == NOTICE for answer in failed_turns), (
            "a turn whose action failed must say only that, not what a dialogue missing the action's "
            f"events says next: {failed_turns}")
    finally:
        guarded.ensure_actions()
    resident = Resident(guarded.config.rasa_url)  # back up: conversations work again
    assert TICKET_NUMBER.search(resident.follow_through(resident.say("小区门口的路灯不亮了"), place="武昌区中南路 8 号")), \
        resident.transcript


def test_the_widget_channel_socketio_is_limited_too(guarded: SystemUnderTest) -> None:
    """The same guard on socket.io (what the widget uses), driven by python-socketio in the bot's venv."""
    import json
    import subprocess
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    script = Path(__file__).with_name("socketio_burst.py")
    done = subprocess.run([str(repo / ".venvs" / "bot" / "bin" / "python"), str(script), guarded.config.rasa_url,
                           str(SENDER_BURST + 6)], capture_output=True, text=True, timeout=240, cwd=repo)
    assert done.returncode == 0, done.stderr[-2000:]
    texts = json.loads(done.stdout.strip().splitlines()[-1])
    assert sum(TOO_FAST in t for t in texts) >= 3, texts
    assert sum(bool(t) and TOO_FAST not in t for t in texts) >= SENDER_BURST, "the burst allowance was not answered"
    assert requests.get(f"{guarded.config.rasa_url}/status", timeout=10).status_code == 200
