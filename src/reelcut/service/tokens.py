"""A short-lived memory of verified tokens, so a cheap request costs no database round trip.

Tokens are looked up by their SHA-256; a hit is trusted for ``ttl_s`` seconds. Whatever changes
an account's row elsewhere (the admin CLI, another process) is seen within that time; an expiry
date is checked on every request, cached or not.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


class TokenCache(Generic[T]):
    def __init__(self, ttl_s: float = 30.0, size: int = 10_000) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self._items: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> T | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if time.monotonic() - found[0] > self.ttl_s:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: str, value: T) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
