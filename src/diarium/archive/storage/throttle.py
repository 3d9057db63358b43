"""A byte-rate limit shared by the threads of one fixity audit."""

from __future__ import annotations

import threading
import time


class Throttle:
    def __init__(self, bytes_per_second: float | None) -> None:
        self.rate = bytes_per_second if bytes_per_second and bytes_per_second > 0 else None
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._consumed = 0

    def consume(self, n: int) -> None:
        if self.rate is None:
            return
        with self._lock:
            self._consumed += n
            due = self._start + self._consumed / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
