"""Rate limits of the ticketing pages: public status lookup and sign-in brute force.

In memory without Redis; shared through the real Redis when ``YIJIAN_REDIS_URL`` is set — checked with
two separate uvicorn processes, as production's two workers, counting one window together. The client
address comes from X-Forwarded-For only when the peer is a trusted proxy.
"""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from starlette.requests import Request

from tests.support.ports import free_port
from tests.support.accounts import csrf_from, ensure_account
from ticketing.web import resident, signin
from ticketing.http.ratelimit import SlidingWindow, client_address

REPO = Path(__file__).resolve().parents[2]
LOOKUP_LIMIT = resident.LIMIT.limit
TOO_FAST = "查询过于频繁"


def _lookup(client: httpx.Client | object, token: str, number: str = "20260101-000001", last4: str = "0000",
            **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/lookup", data={"csrf": token, "number": number, "last4": last4},  # type: ignore[attr-defined]
                       headers=headers)


def _ticket(integration, phone: str = "13812345678") -> str:  # type: ignore[no-untyped-def]
    response = integration.post("/api/tickets", json={"description": "小区门口路灯坏了", "contact_phone": phone})
    assert response.status_code == 201
    return response.json()["number"]


def test_lookup_burst_is_refused_in_chinese_and_a_resident_is_not(anonymous, integration) -> None:
    resident.LIMIT.clear()
    number = _ticket(integration)
    token = csrf_from(anonymous.get("/").text)
    for _ in range(3):  # a resident checking a few times: always an answer
        assert _lookup(anonymous, token, number, "5678").status_code == 200
    for _ in range(LOOKUP_LIMIT - 3):
        assert _lookup(anonymous, token).status_code == 404
    refused = _lookup(anonymous, token, number, "5678")
    assert refused.status_code == 429 and TOO_FAST in refused.text and "12345" in refused.text
    resident.LIMIT.clear()  # the window passes (an operator may also clear it)
    assert _lookup(anonymous, token, number, "5678").status_code == 200
    resident.LIMIT.clear()


def test_window_slides_and_resets() -> None:
    window = SlidingWindow(limit=3, seconds=1, name=f"slide-{os.getpid()}")  # windows are whole seconds
    assert [window.over("a") for _ in range(4)] == [False, False, False, True]
    assert not window.over("b"), "another address has its own window"
    time.sleep(1.1)
    assert not window.over("a"), "the window did not reset"


def test_sign_in_failures_per_address_are_limited(app, anonymous) -> None:
    signin.FAILURES.clear()
    ensure_account(app, "operator")
    token = csrf_from(anonymous.get("/login").text)
    statuses = [anonymous.post("/login", data={"csrf": token, "username": f"nobody{i}", "password": "guess"}).status_code
                for i in range(signin.FAILURES.limit + 1)]
    assert statuses[:-1] == [401] * signin.FAILURES.limit and statuses[-1] == 429
    last = anonymous.post("/login", data={"csrf": token, "username": "t-operator", "password": "test-password-123"},
                          follow_redirects=False)
    assert last.status_code == 429 and "登录尝试过于频繁" in last.text, "the right password must not slip through"
    signin.FAILURES.clear()


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 40000),
                    "query_string": b""})


def test_forwarded_for_counts_only_behind_a_trusted_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIJIAN_TRUSTED_PROXIES", "127.0.0.1/8,::1,10.0.0.0/8")
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9", "an untrusted peer chose its own address"
    assert client_address(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    # The client's own header entries come first; the proxies append: the rightmost untrusted one counts.
    assert client_address(_request("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"
    assert client_address(_request("127.0.0.1")) == "127.0.0.1"
    assert client_address(_request("127.0.0.1", "garbage, <script>")) == "<script>"[:64]
    monkeypatch.setenv("YIJIAN_TRUSTED_PROXIES", "")
    assert client_address(_request("127.0.0.1", "198.51.100.7")) == "127.0.0.1", "nobody trusted: the peer counts"


def test_spoofed_forwarded_for_does_not_escape_the_lookup_limit(anonymous) -> None:
    """The test client is not a trusted proxy, so a new X-Forwarded-For per request changes nothing."""
    resident.LIMIT.clear()
    token = csrf_from(anonymous.get("/").text)
    statuses = [_lookup(anonymous, token, **{"X-Forwarded-For": f"192.0.2.{i}"}).status_code
                for i in range(LOOKUP_LIMIT + 1)]
    assert statuses[-1] == 429
    resident.LIMIT.clear()


def test_redis_window_is_shared_and_resets(redis_url: str) -> None:
    window = SlidingWindow(limit=3, seconds=1, name="shared")
    twin = SlidingWindow(limit=3, seconds=1, name="shared")  # e.g. the same limiter in another worker
    assert [window.over("x"), twin.over("x"), window.over("x"), twin.over("x")] == [False, False, False, True]
    import redis

    assert redis.Redis.from_url(redis_url).keys(os.environ["YIJIAN_RATE_LIMIT_PREFIX"] + "shared:x"), "not in Redis"
    time.sleep(1.1)
    assert not twin.over("x")
    window.clear()
    assert not window.blocked("x")


def test_redis_down_falls_back_to_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIJIAN_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    window = SlidingWindow(limit=2, seconds=60, name=f"down-{os.getpid()}")
    assert [window.over("y") for _ in range(3)] == [False, False, True]
    window.clear()


@pytest.fixture()
def two_workers(redis_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two uvicorn processes on one database and one Redis, like `make run-prod`'s two workers."""
    from ticketing.store.schema import migrate

    database = f"sqlite:///{tmp_path / 'tickets.db'}"
    migrate(database)
    env = {**os.environ, "DATABASE_URL": database, "YIJIAN_SECRET_KEY": "k" * 40}
    ports = [free_port(), free_port()]
    uvicorn = str(REPO / ".venvs" / "ticketing" / "bin" / "uvicorn")
    logs = [open(tmp_path / f"worker{i}.log", "wb") for i in range(2)]
    procs = [subprocess.Popen([uvicorn, "ticketing.app:app", "--host", "127.0.0.1", "--port", str(port),
                               "--no-access-log"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
             for port, log in zip(ports, logs)]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                pytest.fail(f"worker at {url} did not start")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
        for log in logs:
            log.close()


def test_two_workers_share_one_lookup_window_through_redis(two_workers: list[str]) -> None:
    clients = [httpx.Client(base_url=url, timeout=10) for url in two_workers]
    try:
        tokens = [csrf_from(client.get("/").text) for client in clients]
        statuses = [_lookup(clients[i % 2], tokens[i % 2]).status_code for i in range(LOOKUP_LIMIT + 1)]
        # Alone, each worker would have allowed LIMIT lookups; together they allow LIMIT in total.
        assert statuses[:LOOKUP_LIMIT] == [404] * LOOKUP_LIMIT and statuses[-1] == 429, statuses
        assert TOO_FAST in _lookup(clients[0], tokens[0]).text
    finally:
        for client in clients:
            client.close()


# --- the chat's token buckets (bot/channels/limits.py needs only the standard library and redis) ---------

def _take(buckets, spec, key: str, times: int) -> list[bool]:  # type: ignore[no-untyped-def]
    import asyncio

    async def run() -> list[bool]:
        return [await buckets.take(spec, key) for _ in range(times)]

    return asyncio.run(run())


def test_chat_bucket_in_memory_allows_a_burst_then_refills() -> None:
    from bot.channels.limits import BucketSpec, Buckets

    spec = BucketSpec("sender", burst=3, per_minute=120)  # a token every 0.5 s
    buckets = Buckets(redis_url="")
    assert _take(buckets, spec, "s1", 4) == [True, True, True, False]
    assert _take(buckets, spec, "s2", 1) == [True], "another conversation has its own bucket"
    time.sleep(0.6)
    assert _take(buckets, spec, "s1", 2) == [True, False]


def test_chat_buckets_are_shared_through_redis(redis_url: str) -> None:
    from bot.channels.limits import BucketSpec, Buckets

    spec = BucketSpec("address", burst=4, per_minute=60)
    prefix = os.environ["YIJIAN_RATE_LIMIT_PREFIX"]
    first, second = Buckets(redis_url, prefix), Buckets(redis_url, prefix)  # two Rasa processes
    assert _take(first, spec, "198.51.100.1", 2) + _take(second, spec, "198.51.100.1", 3) == [True] * 4 + [False]
    import redis

    assert redis.Redis.from_url(redis_url).exists(f"{prefix}chat:address:198.51.100.1")
    time.sleep(1.1)
    assert _take(second, spec, "198.51.100.1", 1) == [True], "the bucket did not refill"


def test_chat_buckets_fall_back_to_memory_when_redis_is_down() -> None:
    from bot.channels.limits import BucketSpec, Buckets

    buckets = Buckets(f"redis://127.0.0.1:{free_port()}/0", "yijian-test:")
    assert _take(buckets, BucketSpec("sender", burst=2, per_minute=1), "s", 3) == [True, True, False]


def test_chat_address_uses_forwarded_for_only_from_trusted_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels.address import client_address, is_trusted

    monkeypatch.delenv("YIJIAN_TRUSTED_PROXIES", raising=False)
    assert client_address("203.0.113.9", "1.2.3.4") == "203.0.113.9"
    assert client_address("127.0.0.1", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert client_address("127.0.0.1", None) == "127.0.0.1" and is_trusted("127.0.0.1")
    assert not is_trusted("198.51.100.7")


def test_api_token_guessing_is_limited_per_address(app, anonymous) -> None:
    from ticketing.http.api_caller import TOKEN_FAILURES

    TOKEN_FAILURES.clear()
    number = anonymous.post("/api/tickets", json={"description": "小区门口路灯坏了"}).json()["number"]
    path = f"/api/tickets/{number}/transitions"
    body = {"action": "supplement", "role": "staff", "note": "补充"}
    statuses = [anonymous.post(path, json=body, headers={"Authorization": f"Bearer guess-{i}"}).status_code
                for i in range(TOKEN_FAILURES.limit)]
    assert statuses == [401] * TOKEN_FAILURES.limit
    right = anonymous.post(path, json=body, headers={"Authorization": f"Bearer {os.environ['YIJIAN_API_TOKEN']}"})
    assert right.status_code == 429 and "令牌错误次数过多" in right.json()["error"]["message"]
    TOKEN_FAILURES.clear()
    assert anonymous.post(path, json=body, headers={"Authorization": f"Bearer {os.environ['YIJIAN_API_TOKEN']}"}).status_code == 200


def test_non_ascii_bearer_token_is_401_not_500(anonymous) -> None:
    """Regression: hmac.compare_digest refuses non-ASCII str, so such a header made every API read 500."""
    from ticketing.http.api_caller import TOKEN_FAILURES

    TOKEN_FAILURES.clear()
    for header in ("Bearer 令牌".encode("utf-8"), b"Bearer \xe9t\xe9"):
        response = anonymous.get("/api/tickets", headers={"Authorization": header})
        assert response.status_code == 401, response.text[:200]  # the token is simply not valid: nobody reads
        number = anonymous.post("/api/tickets", json={"description": "路灯坏了"}).json()["number"]
        moved = anonymous.post(f"/api/tickets/{number}/transitions", json={"action": "archive"},
                               headers={"Authorization": header})
        assert moved.status_code == 401
    TOKEN_FAILURES.clear()
