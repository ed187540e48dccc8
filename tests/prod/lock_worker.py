"""Run in the bot's env by test_lock_store.py: issue many tickets for one conversation, print them.

``python -m tests.prod.lock_worker <redis db> <key prefix> <count>``: waits until a second worker is
ready (a Redis counter), then calls the lock store's `issue_ticket` ``count`` times as fast as it
can, as two Rasa processes would under a burst of turns of one conversation.
"""

from __future__ import annotations

import json
import sys
import time

from bot.lock_store import AtomicRedisLockStore


def main(db: int, prefix: str, count: int) -> None:
    store = AtomicRedisLockStore(host="127.0.0.1", port=6379, db=db, key_prefix=prefix)
    ready = f"{prefix}:ready"
    store.red.incr(ready)
    while int(store.red.get(ready) or 0) < 2:
        time.sleep(0.005)
    print(json.dumps([store.issue_ticket("burst", lock_lifetime=600) for _ in range(count)]))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
