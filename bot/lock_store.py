"""Rasa's Redis lock store made safe for several Rasa processes (loaded by Rasa, in the bot's env).

Rasa 3.6's `RedisLockStore` keeps one serialised `TicketLock` per conversation and changes it by
read–modify–write (GET, change in Python, SET). Two Rasa processes that receive a turn of the same
conversation at the same moment can both read "no lock", both issue ticket 0 and both go ahead;
the SQL tracker store then drops the events of the slower one (it appends "events past the number
already stored"). Measured here: two processes issuing 400 tickets each for one conversation got
453 distinct numbers for 800 tickets from the stock store, 800 from this one; three pairs of
simultaneous turns on two Rasa servers lost user messages in 4 of 10 runs with the stock store and
in 0 of 10 with this one (docs/production.md). Rasa's own fix
(`ConcurrentRedisLockStore`) exists only in the licensed Rasa Pro.

This subclass keeps Rasa's data and protocol and wraps each read–modify–write in a short Redis
mutex per conversation (redis-py's `Lock`: SET NX with an expiry), so ticket numbers are unique
across processes. Endpoint entry: ``lock_store: {type: bot.lock_store.AtomicRedisLockStore,
url: <host>, port: …, db: …, key_prefix: …}`` — the same keys as ``type: redis``. It lives beside the
launcher rather than in ``bot/`` because the model's fingerprint covers ``bot/``.

It also turns Rasa's fixed ticket lifetime into a renewed lease. Rasa gives every ticket 60 s
(``TICKET_LOCK_LIFETIME``) up front, so when a Rasa process dies during a turn, the next turn of that
conversation waits out the dead process's ticket: 58 s measured in tests/faults/test_rasa_killed.py.
A shorter fixed lifetime would let a slow turn (filing retries take up to 39 s) lose the lock while it
still runs. Here a ticket lives ``LEASE_SECONDS`` and the process that holds it, or waits with it,
renews it every fifth of that while it is alive: a live turn keeps its lock however long it takes,
a dead process's lock lapses within one lease.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_SECONDS = 10.0  # longest a crashed holder can block others; the guarded work takes milliseconds
# How long a dead process's ticket can block its conversation. Must exceed the longest stall of a Rasa
# event loop (the renewal runs on it); NLU and the SQL tracker store block it for milliseconds per turn.
LEASE_SECONDS = float(os.environ.get("YIJIAN_LOCK_LEASE_SECONDS", "15"))
RENEWALS_PER_LEASE = 5

logger = logging.getLogger(__name__)


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket bookkeeping is atomic across processes."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds a custom lock store as cls(endpoint_config=...); tests may pass keywords.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=MUTEX_SECONDS,
                             blocking_timeout=MUTEX_SECONDS)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ticket lock, with a lease renewed from the ticket's issue until its cleanup."""
        lease = min(lock_lifetime, LEASE_SECONDS)
        ticket = self.issue_ticket(conversation_id, lease)
        renewal = asyncio.create_task(self._keep_renewing(conversation_id, ticket, lease))
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            renewal.cancel()
            self.cleanup(conversation_id, ticket)

    async def _keep_renewing(self, conversation_id: str, ticket: int, lease: float) -> None:
        while True:
            await asyncio.sleep(lease / RENEWALS_PER_LEASE)
            try:
                self.renew_ticket(conversation_id, ticket, lease)
            except Exception as error:  # Redis away for a moment: the next renewal may still make it
                logger.warning("Could not renew lock ticket %s of %s: %s", ticket, conversation_id, error)

    def renew_ticket(self, conversation_id: str, ticket_number: int, lease: float) -> bool:
        """Push a live ticket's expiry to now + ``lease``; False if it already lapsed (never revived:
        a waiter may have taken the conversation in between)."""
        with self._mutex(conversation_id):
            lock = self.get_lock(conversation_id)
            ticket = next((t for t in lock.tickets if t.number == ticket_number), None) if lock else None
            if ticket is None or ticket.has_expired():
                return False
            ticket.expires = max(ticket.expires, time.time() + lease)
            self.save_lock(lock)
            return True

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish this ticket and delete the lock when nobody waits, as one step."""
        with self._mutex(conversation_id):
            lock = self.get_lock(conversation_id)
            if lock is None:
                return
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                self.save_lock(lock)
            else:
                self.delete_lock(conversation_id)
