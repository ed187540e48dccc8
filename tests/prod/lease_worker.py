"""Run in the bot's env by test_lock_store.py: hold or take one conversation's lock as Rasa does.

``python -m tests.prod.lease_worker hold <db> <prefix> <seconds>``: takes the lock through the lock
store's ``lock()`` (the context manager Rasa's processor uses), prints ``held <time>``, keeps it for
``seconds`` with the event loop free (as while an action runs), prints ``released <time>``.
``python -m tests.prod.lease_worker take <db> <prefix>``: takes the lock and prints ``acquired <time>``.
The lease comes from YIJIAN_LOCK_LEASE_SECONDS in the environment.
"""

from __future__ import annotations

import asyncio
import sys
import time

from bot.lock_store import AtomicRedisLockStore

CONVERSATION = "lease"


async def hold(store: AtomicRedisLockStore, seconds: float) -> None:
    async with store.lock(CONVERSATION):
        print(f"held {time.time()}", flush=True)
        await asyncio.sleep(seconds)
        print(f"released {time.time()}", flush=True)


async def take(store: AtomicRedisLockStore) -> None:
    async with store.lock(CONVERSATION, wait_time_in_seconds=0.1):
        print(f"acquired {time.time()}", flush=True)


def main(mode: str, db: int, prefix: str, seconds: float) -> None:
    store = AtomicRedisLockStore(host="127.0.0.1", port=6379, db=db, key_prefix=prefix)
    asyncio.run(hold(store, seconds) if mode == "hold" else take(store))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0.0)
