"""TicketingClient: retries with the same Idempotency-Key, clear errors, no real network."""
from __future__ import annotations

import socket
import threading
from typing import Any, Iterator, List

import pytest
import requests

from actions.ticketing_client import (
    TicketingClient,
    TicketingError,
    TicketingUnavailable,
    idempotency_key,
)


class FakeResponse:
    def __init__(self, status: int, body: Any = None) -> None:
        self.status_code = status
        self._body = body
        self.ok = status < 400
        self.text = str(body)

    def json(self) -> Any:
        if self._body is None:
            raise ValueError("no JSON")
        return self._body


class FakeSession:
    """Plays a script of responses or exceptions and records every request."""

    def __init__(self, script: List[Any]) -> None:
        self.script = list(script)
        self.calls: List[dict] = []

    def request(self, method: str, url: str, **kwargs: Any) -> FakeResponse:
        self.calls.append({"method": method, "url": url, **kwargs})
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def client(script: List[Any]) -> TicketingClient:
    return TicketingClient("http://ticketing.test/", session=FakeSession(script))  # type: ignore[arg-type]


def test_retries_connection_errors_and_5xx_with_the_same_key() -> None:
    c = client([requests.ConnectionError("refused"), FakeResponse(503), FakeResponse(201, {"number": "n1"})])
    assert c.create_ticket({"description": "x"}, "chat-abc") == {"number": "n1"}
    calls = c.session.calls  # type: ignore[attr-defined]
    assert len(calls) == 3
    assert {call["headers"]["Idempotency-Key"] for call in calls} == {"chat-abc"}
    assert calls[0]["url"] == "http://ticketing.test/api/tickets"
    assert calls[0]["timeout"] == (3.0, 10.0)


def test_gives_up_after_two_retries() -> None:
    c = client([requests.Timeout("slow")] * 3)
    with pytest.raises(TicketingUnavailable):
        c.create_ticket({"description": "x"}, "k")
    assert len(c.session.calls) == 3  # type: ignore[attr-defined]


def test_replay_200_is_a_success() -> None:
    assert client([FakeResponse(200, {"number": "n1"})]).create_ticket({}, "k") == {"number": "n1"}


def test_refusal_is_not_retried() -> None:
    c = client([FakeResponse(422, {"error": {"code": "validation_error"}})])
    with pytest.raises(TicketingError) as info:
        c.create_ticket({}, "k")
    assert not isinstance(info.value, TicketingUnavailable)


def test_get_ticket_and_not_found() -> None:
    assert client([FakeResponse(200, {"number": "n1"})]).get_ticket("n1") == {"number": "n1"}
    assert client([FakeResponse(404, {"error": {"code": "ticket_not_found"}})]).get_ticket("n2") is None


def test_get_ticket_sends_the_integration_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads are closed to anonymous callers (401), so the bot's status lookups carry the token."""
    monkeypatch.setenv("YIJIAN_API_TOKEN", "secret-token")
    session = FakeSession([FakeResponse(200, {"number": "20261125-000001"})])
    TicketingClient("http://t", session=session).get_ticket("20261125-000001")
    assert session.calls[0]["headers"] == {"Authorization": "Bearer secret-token"}


def test_get_ticket_without_the_token_is_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YIJIAN_API_TOKEN", raising=False)
    session = FakeSession([FakeResponse(401, {"error": {"code": "not_signed_in", "message": "请先登录。"}})])
    with pytest.raises(TicketingError):
        TicketingClient("http://t", session=session).get_ticket("20261125-000001")
    assert session.calls[0]["headers"] == {}


def test_broken_json_means_unavailable() -> None:
    with pytest.raises(TicketingUnavailable):
        client([FakeResponse(200, None)]).get_ticket("n1")


def test_health() -> None:
    assert client([FakeResponse(200, {"status": "ok", "database": "ok"})]).health()
    assert not client([requests.ConnectionError()] * 3).health()


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETING_URL", "http://elsewhere:9000/")
    assert TicketingClient().base_url == "http://elsewhere:9000"
    monkeypatch.delenv("TICKETING_URL")
    assert TicketingClient().base_url == "http://127.0.0.1:8000"


def test_idempotency_key_is_stable_and_short() -> None:
    key = idempotency_key("conv-1", "路灯坏了", "光谷大道")
    assert key == idempotency_key("conv-1", "路灯坏了", "光谷大道")
    assert key != idempotency_key("conv-2", "路灯坏了", "光谷大道")
    assert key != idempotency_key("conv-1", "路灯坏了", "珞喻路")
    assert len(key) <= 128


# --- workflow transitions --------------------------------------------------------------------

def test_transition_sends_the_integration_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIJIAN_API_TOKEN", "secret-token")
    session = FakeSession([FakeResponse(200, {"ticket": {"number": "20261125-000001", "state": "已派单"}})])
    ticket = TicketingClient("http://t", session=session).transition(
        "20261125-000001", "supplement", role="resident", note="补充", rating=None)
    call = session.calls[0]
    assert ticket["state"] == "已派单" and call["url"] == "http://t/api/tickets/20261125-000001/transitions"
    assert call["headers"] == {"Authorization": "Bearer secret-token"}
    assert call["json"] == {"action": "supplement", "role": "resident", "actor": "12345智能助手", "note": "补充"}


def test_transition_refusal_keeps_the_api_code_and_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YIJIAN_API_TOKEN", raising=False)
    body = {"error": {"code": "not_signed_in", "message": "请先登录。", "details": []}}
    session = FakeSession([FakeResponse(401, body)])
    with pytest.raises(TicketingError) as caught:
        TicketingClient("http://t", session=session).transition("20261125-000001", "supplement", note="x")
    assert caught.value.code == "not_signed_in" and caught.value.detail == "请先登录。"
    assert session.calls[0]["headers"] == {}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A real listening socket that reads requests and never answers (a stalled or frozen service)."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: List[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in accepted:
        connection.close()


def test_refused_connections_mean_nothing_was_filed() -> None:
    c = TicketingClient(f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(TicketingUnavailable) as failure:
        c.create_ticket({"description": "x"}, "k")
    assert failure.value.maybe_done is False


def test_a_request_that_reached_a_silent_service_may_have_been_filed(silent_server: int) -> None:
    c = TicketingClient(f"http://127.0.0.1:{silent_server}", retries=1)
    c.timeout = (1.0, 0.3)
    with pytest.raises(TicketingUnavailable) as failure:
        c.create_ticket({"description": "x"}, "k")
    assert failure.value.maybe_done is True


def test_a_5xx_answer_may_hide_a_commit() -> None:
    with pytest.raises(TicketingUnavailable) as failure:
        client([FakeResponse(502)] * 3).create_ticket({"description": "x"}, "k")
    assert failure.value.maybe_done is True
