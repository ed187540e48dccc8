"""A small in-memory sliding-window limiter per client address (one process; light protection only).

Behind several workers each keeps its own window, which is acceptable for its purpose: slowing down
guessing of ticket numbers and passwords, not metering.
"""
from __future__ import annotations

import time
from collections import deque


class SlidingWindow:
    """At most ``limit`` hits per ``seconds`` for each key."""

    def __init__(self, limit: int, seconds: float, max_keys: int = 10000) -> None:
        self.limit, self.seconds, self.max_keys = limit, seconds, max_keys
        self._hits: dict[str, deque[float]] = {}

    def over(self, key: str, now: float | None = None) -> bool:
        """True when ``key`` already used its hits; otherwise counts this one."""
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] > self.seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            return True
        hits.append(now)
        if len(self._hits) > self.max_keys:
            self._forget(now)
        return False

    def blocked(self, key: str, now: float | None = None) -> bool:
        """True when ``key`` used its hits, without counting (pair with ``hit`` for failures only)."""
        now = time.monotonic() if now is None else now
        hits = self._hits.get(key)
        return bool(hits) and sum(1 for t in hits if now - t <= self.seconds) >= self.limit

    def hit(self, key: str, now: float | None = None) -> None:
        self.over(key, now)

    def clear(self) -> None:
        self._hits.clear()

    def _forget(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] > self.seconds]:
            self._hits.pop(key, None)
