"""The client address to rate-limit, trusting X-Forwarded-For only from our own proxies.

Same rule as the ticketing service (``ticketing/web/ratelimit.py``): the peer, unless it is a trusted
proxy (``YIJIAN_TRUSTED_PROXIES``, default loopback, where nginx runs); then the rightmost address in
X-Forwarded-For that is not a trusted proxy. Entries a client wrote itself sit further left and are
never used.
"""
from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from typing import Optional

DEFAULT_TRUSTED_PROXIES = "127.0.0.1/8,::1"


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple:
    nets = []
    for part in spec.split(","):
        try:
            nets.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            continue
    return tuple(nets)


def _in(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def trusted_networks() -> tuple:
    return _networks(os.environ.get("YIJIAN_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES))


def client_address(peer: Optional[str], forwarded_for: Optional[str]) -> str:
    peer = peer or "-"
    networks = trusted_networks()
    if not _in(peer, networks):
        return peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _in(hop, networks):
            return hop[:64]
    return hops[0][:64] if hops else peer


def is_trusted(address: str) -> bool:
    """Loopback and our proxies: local tools and benchmarks, not residents, when nothing was forwarded."""
    return _in(address, trusted_networks())
