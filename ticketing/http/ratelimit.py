"""Moving-window limits per client address, shared through Redis when ``YIJIAN_REDIS_URL`` is set.

They slow down guessing (ticket numbers with phone digits on the public lookup, passwords on the
sign-in form, the API token). Production runs several ticketing workers: an in-memory window per
process would let each worker grant the full allowance, so there the windows live in Redis.

The ``limits`` package does the counting: its moving-window strategy (at most ``limit`` hits in any
``seconds``) over its Redis storage (one list of hit times per key, checked and trimmed atomically by
the package's own Lua scripts) or its memory storage. Its Redis script expires keys with ``EXPIRE``,
so windows are whole seconds. What we add around it:

* where the windows live: Redis keys ``<YIJIAN_RATE_LIMIT_PREFIX><name>:<key>`` (installations or
  test runs sharing one Redis stay apart; ``clear`` removes one limiter's keys), else memory;
* while Redis does not answer, each process keeps its own windows (logged once per limiter): a
  limiter must never take the public pages down;
* ``client_address``: the address to count is the TCP peer, or — only when the peer is a trusted
  proxy (``YIJIAN_TRUSTED_PROXIES``, default loopback, where nginx runs) — the nearest untrusted
  address in ``X-Forwarded-For``. A client cannot escape its limit by sending that header itself.

Settings: callers with a request pass the app's (``request.app.state.settings``); without, the
environment's are read at each call, so a changed variable takes effect at once.
"""
from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from functools import cache, lru_cache

from limits import RateLimitItemPerSecond
from limits.errors import ConfigurationError, StorageError
from limits.limits import safe_string
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

from ticketing.core.settings import Network, Settings, load_settings

log = logging.getLogger("ticketing.ratelimit")
REDIS_TIMEOUTS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}  # a slow Redis must not stall pages


class _Window(RateLimitItemPerSecond):
    """``amount`` hits per ``multiples`` seconds, stored under the caller's key as it is."""

    def key_for(self, *identifiers: bytes | str | int | float) -> str:
        return "/".join(safe_string(part) for part in identifiers)


@cache
def _memory(name: str) -> MovingWindowRateLimiter:
    """This process's windows of one limiter (also the fallback while Redis is away)."""
    return MovingWindowRateLimiter(MemoryStorage())


@lru_cache(maxsize=32)
def _shared(url: str, prefix: str, name: str) -> MovingWindowRateLimiter:
    """One limiter's windows in Redis; the storage's ``reset`` clears exactly them."""
    storage = storage_from_string(url, key_prefix=f"{prefix}{name}", wrap_exceptions=True, **REDIS_TIMEOUTS)
    return MovingWindowRateLimiter(storage)


class SlidingWindow:
    """At most ``limit`` hits per ``seconds`` (whole) for each key, in Redis when configured, else in memory.

    ``name`` keeps the windows of different limiters apart in the shared store.
    """

    def __init__(self, limit: int, seconds: int, name: str = "default") -> None:
        if seconds < 1 or seconds != int(seconds):
            raise ValueError(f"rate limit {name}: the window must be whole seconds, not {seconds}")
        self.limit, self.seconds, self.name = limit, int(seconds), name
        self._item = _Window(limit, int(seconds))
        self._warned = False

    def over(self, key: str, settings: Settings | None = None) -> bool:
        """True when ``key`` already used its hits; otherwise counts this one."""
        return not self._run(settings, lambda limiter: limiter.hit(self._item, key))

    def blocked(self, key: str, settings: Settings | None = None) -> bool:
        """True when ``key`` used its hits, without counting (pair with ``hit`` for failures only)."""
        return not self._run(settings, lambda limiter: limiter.test(self._item, key))

    def hit(self, key: str, settings: Settings | None = None) -> None:
        """Count one hit for ``key`` (none once it is over the limit)."""
        self._run(settings, lambda limiter: limiter.hit(self._item, key))

    def clear(self, settings: Settings | None = None) -> None:
        """Forget every window of this limiter (tests; an operator unblocking an office)."""
        _memory(self.name).storage.reset()
        settings = load_settings() if settings is None else settings
        if settings.redis_url:
            try:
                _shared(settings.redis_url, settings.rate_limit_prefix, self.name).storage.reset()
            except (StorageError, ConfigurationError):
                pass

    def _run(self, settings: Settings | None, act: Callable[[MovingWindowRateLimiter], bool]) -> bool:
        settings = load_settings() if settings is None else settings
        if settings.redis_url:
            try:
                return act(_shared(settings.redis_url, settings.rate_limit_prefix, self.name))
            except (StorageError, ConfigurationError) as exc:  # Redis down or unusable: limit per process
                self._warn_once(exc)
        return act(_memory(self.name))

    def _warn_once(self, exc: Exception) -> None:
        if not self._warned:
            self._warned = True
            cause = getattr(exc, "storage_error", exc)
            log.warning("rate limit %s: Redis unavailable (%s); using this process's memory", self.name, cause)


def request_settings(request: Request) -> Settings:
    """The settings of the app serving ``request``; the environment's for a bare request (tests)."""
    app = request.scope.get("app")
    return app.state.settings if app is not None else load_settings()


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
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
    networks = request_settings(request).trusted_proxies
    if not _trusted(peer, networks):
        return peer
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if not _trusted(hop, networks):
            return hop[:64]
    return forwarded[0][:64] if forwarded else peer
