"""Sliding-window limits per client address, shared through Redis when ``YIJIAN_REDIS_URL`` is set.

They slow down guessing (ticket numbers with phone digits on the public lookup, passwords on the
sign-in form). Production runs several ticketing workers: an in-memory window per process would let
each worker grant the full allowance, so there the windows live in Redis (one sorted set of hit times
per key, updated atomically by a small Lua script). Without Redis, or while it does not answer, each
process keeps its own window (logged once): a limiter must never take the public pages down.

``client_address`` is the address to count: the TCP peer, or — only when the peer is a trusted proxy
(``YIJIAN_TRUSTED_PROXIES``, default loopback, where nginx runs) — the nearest untrusted address in
``X-Forwarded-For``. A client cannot escape its limit by sending that header itself.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import threading
import time
import uuid
from collections import deque
from functools import lru_cache
from typing import Protocol

from starlette.requests import Request

log = logging.getLogger("ticketing.ratelimit")
DEFAULT_TRUSTED_PROXIES = "127.0.0.1/8,::1"

# KEYS[1] = the window's sorted set; ARGV = now (s), window (s), limit, member, count (1|0).
# Returns the number of hits in the window before this one; counts this one only when under the limit.
_SLIDING_WINDOW_LUA = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local used = redis.call('ZCARD', KEYS[1])
if ARGV[5] == '1' and used < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000) + 1000)
end
return used
"""


class _Store(Protocol):
    def used(self, key: str, limit: int, seconds: float, count: bool) -> int: ...
    def clear(self, prefix: str) -> None: ...


class _MemoryStore:
    """Hit times per key in this process; old keys are forgotten so memory stays bounded."""

    def __init__(self, max_keys: int = 10000) -> None:
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def used(self, key: str, limit: int, seconds: float, count: bool, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] > seconds:
                hits.popleft()
            used = len(hits)
            if count and used < limit:
                hits.append(now)
            if len(self._hits) > self.max_keys:
                self._forget(now, seconds)
            return used

    def clear(self, prefix: str) -> None:
        with self._lock:
            for key in [k for k in self._hits if k.startswith(prefix)]:
                del self._hits[key]

    def _forget(self, now: float, seconds: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] > seconds]:
            self._hits.pop(key, None)


class _RedisStore:
    """Windows in Redis, shared by every worker; one round trip per check."""

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.script = self.client.register_script(_SLIDING_WINDOW_LUA)

    def used(self, key: str, limit: int, seconds: float, count: bool) -> int:
        now = time.time()
        member = f"{now:.6f}-{uuid.uuid4().hex[:8]}"
        return int(self.script(keys=[_prefix() + key], args=[now, seconds, limit, member, 1 if count else 0]))

    def clear(self, prefix: str) -> None:
        keys = list(self.client.scan_iter(match=f"{_prefix()}{prefix}*", count=500))
        if keys:
            self.client.delete(*keys)


_MEMORY = _MemoryStore()


def _prefix() -> str:
    """Key prefix in Redis (``YIJIAN_RATE_LIMIT_PREFIX``): installations or test runs sharing one Redis
    keep their windows apart."""
    return os.environ.get("YIJIAN_RATE_LIMIT_PREFIX", "yijian:rl:")


@lru_cache(maxsize=4)
def _redis_store(url: str) -> _RedisStore:
    return _RedisStore(url)


_warned: set[str] = set()


def _store() -> _Store:
    url = os.environ.get("YIJIAN_REDIS_URL", "").strip()
    return _redis_store(url) if url else _MEMORY


class SlidingWindow:
    """At most ``limit`` hits per ``seconds`` for each key, in Redis when configured, else in memory.

    ``name`` keeps the windows of different limiters apart in the shared store.
    """

    def __init__(self, limit: int, seconds: float, name: str = "default") -> None:
        self.limit, self.seconds, self.name = limit, seconds, name

    def _used(self, key: str, count: bool) -> int:
        full_key = f"{self.name}:{key}"
        store = _store()
        if store is _MEMORY:
            return _MEMORY.used(full_key, self.limit, self.seconds, count)
        try:
            return store.used(full_key, self.limit, self.seconds, count)
        except Exception as exc:  # Redis down or unreachable: keep limiting, per process
            if self.name not in _warned:
                _warned.add(self.name)
                log.warning("rate limit %s: Redis unavailable (%s); using this process's memory", self.name, exc)
            return _MEMORY.used(full_key, self.limit, self.seconds, count)

    def over(self, key: str) -> bool:
        """True when ``key`` already used its hits; otherwise counts this one."""
        return self._used(key, count=True) >= self.limit

    def blocked(self, key: str) -> bool:
        """True when ``key`` used its hits, without counting (pair with ``hit`` for failures only)."""
        return self._used(key, count=False) >= self.limit

    def hit(self, key: str) -> None:
        self._used(key, count=True)

    def clear(self) -> None:
        """Forget every window of this limiter (tests; an operator unblocking an office)."""
        _MEMORY.clear(f"{self.name}:")
        store = _store()
        if store is not _MEMORY:
            try:
                store.clear(f"{self.name}:")
            except Exception:
                pass


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    nets = []
    for part in spec.split(","):
        part = part.strip()
        if part:
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                log.warning("YIJIAN_TRUSTED_PROXIES: ignoring %r (not an address or network)", part)
    return tuple(nets)


def _trusted(address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: Request) -> str:
    """The address to rate-limit: the peer, or what trusted proxies say in X-Forwarded-For.

    Walk the header from the right (each proxy appends the address it saw) past trusted proxies; the
    first untrusted entry is the client. Entries left of it were written by the client and are ignored.
    """
    peer = request.client.host if request.client else "-"
    networks = _networks(os.environ.get("YIJIAN_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES))
    if not _trusted(peer, networks):
        return peer
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if not _trusted(hop, networks):
            return hop[:64]
    return forwarded[0][:64] if forwarded else peer
