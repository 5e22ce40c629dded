"""Who is asking, for rate limits: the client's address (through trusted proxies) and buckets.

A limit keyed by something the client makes up (the raw ``Authorization`` header, a client id)
is no limit: a fresh value per request is a fresh budget. So requests are counted per client
address — the peer, or when the peer is a configured proxy, the nearest untrusted address in
``X-Forwarded-For`` — and, once the token is verified, per account as well.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque
from collections.abc import Sequence
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

Network = IPv4Network | IPv6Network


@lru_cache(maxsize=4096)  # every request parses its peer's address; peers repeat
def _address(text: str) -> IPv4Address | IPv6Address | None:
    text = text.strip().strip("[]")
    try:
        return ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str, proxies: Sequence[Network]) -> str:
    """The address a request came from, honouring ``X-Forwarded-For`` only from ``proxies``.

    The header is read right to left (each proxy appends the address it saw) and the first
    address that is not itself a trusted proxy is the client; junk entries end the walk, so a
    client cannot pick its own bucket by writing addresses in the header.
    """
    peer_ip = _address(peer or "")
    if peer_ip is None:
        return peer or "?"
    if not proxies or not any(peer_ip in net for net in proxies):
        return str(peer_ip)
    client = peer_ip
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        ip = _address(hop)
        if ip is None:
            break
        client = ip
        if not any(ip in net for net in proxies):
            break
    return str(client)


class SlidingWindow:
    """At most ``limit`` events per ``window_s`` for each key, in this process's memory."""

    def __init__(self, limit: int, window_s: float = 60.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def hit(self, key: str) -> int:
        """Count one event for ``key``: 0 when allowed, else seconds until it would be."""
        if self.limit <= 0:
            return 0
        now = time.monotonic()
        horizon = now - self.window_s
        with self._lock:
            self._calls += 1
            if self._calls % 4096 == 0:
                for k in [k for k, d in self._hits.items() if not d or d[-1] <= horizon]:
                    del self._hits[k]
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= horizon:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, int(hits[0] - horizon) + 1)
            hits.append(now)
            return 0
