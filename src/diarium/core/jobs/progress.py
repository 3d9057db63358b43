"""Progress of a job: done/total and a message (the phase), shown through a callback (the
command line's progress bar) and saved on the job row about once a second, where the API
and the pages read it. Worker threads only count; the database is written from the thread
that runs the job, which also renews the lease there."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.utils import timezone

from .models import Job

Callback = Callable[[str, int, int, float], None]  # phase, done, total, seconds in phase
SAVE_EVERY = 1.0
SHOW_EVERY = 0.2
LOG_LIMIT = 20000


class LeaseLost(Exception):
    """Another worker took the job over (this one was stopped or cut off for longer than
    the lease): stop at once, the other worker's outcome is the one that counts."""


class Progress:
    def __init__(self, job: Job | None = None, callback: Callback | None = None,
                 heartbeat: Callable[[], None] | None = None) -> None:
        self.job = job
        self.callback = callback
        self.heartbeats: list[Callable[[], None]] = [heartbeat] if heartbeat else []
        self.lost: Callable[[], bool] = lambda: False
        self._lock = threading.Lock()
        self._main = threading.current_thread()
        self.name = ""
        self.done = 0
        self.total = 0
        self._started = time.monotonic()
        self._shown = 0.0
        self._saved = 0.0

    def with_heartbeat(self, heartbeat: Callable[[], None] | None) -> Progress:
        """The same progress, also renewing another lease (a package's) when it saves."""
        if heartbeat is not None:
            self.heartbeats.append(heartbeat)
        return self

    def phase(self, name: str, total: int, unit: str = "bytes") -> None:
        self.finish()
        with self._lock:
            self.name, self.done, self.total = name, 0, total
            self._started = time.monotonic()
        self.log(f"{name}: {total} {unit}")
        self.flush(force=True)

    def finish(self) -> None:
        """Log how long the current phase took (called at the next phase and at the end)."""
        if not self.name:
            return
        self.flush(force=True)
        seconds = time.monotonic() - self._started
        rate = self.done / 1e6 / seconds if seconds > 0 else 0.0
        self.log(f"{self.name} done: {self.done / 1e6:.1f} MB in {seconds:.2f} s "
                 f"({rate:.0f} MB/s)")
        self.name = ""

    def advance(self, n: int) -> None:
        with self._lock:
            self.done += n
        if threading.current_thread() is self._main:
            self.flush()

    def set(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Counted progress (items, cases): done of total, with an optional message."""
        with self._lock:
            self.done = done
            if total is not None:
                self.total = total
            if message is not None:
                self.name = message
        self.flush()

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.callback is not None and (force or now - self._shown >= SHOW_EVERY):
            self._shown = now
            self.callback(self.name, self.done, self.total, now - self._started)
        if force or now - self._saved >= SAVE_EVERY:
            self._saved = now
            if self.job is not None:
                Job.objects.filter(pk=self.job.pk).update(
                    message=self.name[:200], done=self.done, total=self.total,
                    updated_at=timezone.now())
            for beat in self.heartbeats:
                beat()
        if self.lost():
            raise LeaseLost(str(self.job.pk) if self.job else "")

    def log(self, line: str) -> None:
        if self.job is None:
            return
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self.job.log = (self.job.log + f"{stamp} {line}\n")[-LOG_LIMIT:]
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log)
