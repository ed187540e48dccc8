"""Which requests sit unread at a server's ports: how a fault test knows a request is in flight.

A frozen (SIGSTOP) server still completes TCP handshakes in the kernel and queues what clients send;
``/proc/net/tcp`` lists each such connection with the bytes nobody has read yet (``rx_queue``), for
connections waiting in the accept queue and for kept-alive ones alike. Linux only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

ESTABLISHED = "01"


def waiting_requests(ports: Iterable[int]) -> int:
    """Connections to any of ``ports`` holding unread bytes (one per request sent and not yet read)."""
    wanted = set(ports)
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            unread = int(fields[4].split(":")[1], 16)
            if fields[3] == ESTABLISHED and local_port in wanted and unread > 0:
                count += 1
    return count
