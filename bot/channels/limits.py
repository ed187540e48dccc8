"""Token buckets per key, in Redis when ``YIJIAN_REDIS_URL`` is set (shared by every Rasa instance),
in this process's memory otherwise or while Redis does not answer.

A bucket holds ``burst`` tokens and refills ``per_minute`` of them a minute; each message takes one.
A resident typing (or clicking buttons) never empties it; a script flooding the chat does.
"""
from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Optional

logger = logging.getLogger(__name__)

# KEYS[1] bucket hash; ARGV: burst, tokens per second, now (s). Returns 1 when a token was taken.
_TOKEN_BUCKET_LUA = """
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return taken
"""


@dataclass(frozen=True)
class BucketSpec:
    """``burst`` messages at once, refilled at ``per_minute``."""

    name: str
    burst: float
    per_minute: float

    @classmethod
    def from_credentials(cls, name: str, data: Optional[dict[str, Any]], default: "BucketSpec") -> "BucketSpec":
        """From credentials.yml; ``YIJIAN_CHAT_LIMIT_PER_<NAME>="burst/per_minute"`` overrides it (an
        operator tightening limits during an attack without editing files; tests)."""
        data = data or {}
        spec = cls(name, float(data.get("burst", default.burst)), float(data.get("per_minute", default.per_minute)))
        override = os.environ.get(f"YIJIAN_CHAT_LIMIT_PER_{name.upper()}", "").strip()
        if override:
            try:
                burst, per_minute = (float(part) for part in override.split("/"))
                spec = cls(name, burst, per_minute)
            except ValueError:
                logger.warning("YIJIAN_CHAT_LIMIT_PER_%s=%r is not burst/per_minute; ignored", name.upper(), override)
        return spec

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


class MemoryBuckets:
    """Buckets of this process; the least recently used keys are dropped beyond ``max_keys``."""

    def __init__(self, max_keys: int = 50000) -> None:
        self.max_keys = max_keys
        self._state: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, spec: BucketSpec, key: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        full_key = f"{spec.name}:{key}"
        tokens, last = self._state.pop(full_key, (spec.burst, now))
        tokens = min(spec.burst, tokens + max(0.0, now - last) * spec.per_second)
        taken = tokens >= 1
        self._state[full_key] = (tokens - 1 if taken else tokens, now)
        while len(self._state) > self.max_keys:
            self._state.popitem(last=False)
        return taken

    def clear(self) -> None:
        self._state.clear()


class RedisBuckets:
    """Buckets in Redis (one small hash per key, updated by one atomic script call)."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as aioredis

        self.client = aioredis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.script = self.client.register_script(_TOKEN_BUCKET_LUA)
        self.prefix = prefix

    async def take(self, spec: BucketSpec, key: str) -> bool:
        args = [spec.burst, spec.per_second, time.time()]
        return bool(await self.script(keys=[f"{self.prefix}{spec.name}:{key}"], args=args))


class Buckets:
    """Takes tokens from Redis when configured, falling back to memory (logged once) when it fails."""

    def __init__(self, redis_url: Optional[str] = None, prefix: Optional[str] = None) -> None:
        url = os.environ.get("YIJIAN_REDIS_URL", "") if redis_url is None else redis_url
        prefix = os.environ.get("YIJIAN_RATE_LIMIT_PREFIX", "yijian:rl:") if prefix is None else prefix
        self.memory = MemoryBuckets()
        self.redis = RedisBuckets(url, prefix + "chat:") if url.strip() else None
        self._warned = False

    async def take(self, spec: BucketSpec, key: str) -> bool:
        if self.redis is not None:
            try:
                return await self.redis.take(spec, key)
            except Exception as exc:  # Redis down: keep limiting, per process
                if not self._warned:
                    self._warned = True
                    logger.warning("chat rate limit: Redis unavailable (%s); using this process's memory", exc)
        return self.memory.take(spec, key)
