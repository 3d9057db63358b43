"""Progress of long work: counted in bytes per phase, shown through a callback (the command
line's progress line) and saved on the job row about once a second. Worker threads only
count; the database is written from the thread that runs the job."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.utils import timezone

from diarium.archive.models import IngestJob

Callback = Callable[[str, int, int, float], None]  # phase, done, total, seconds in phase
SAVE_EVERY = 1.0
SHOW_EVERY = 0.2


class Progress:
    def __init__(self, job: IngestJob | None = None, callback: Callback | None = None,
                 heartbeat: Callable[[], None] | None = None) -> None:
        self.job = job
        self.callback = callback
        self.heartbeat = heartbeat
        self._lock = threading.Lock()
        self._main = threading.current_thread()
        self.name = ""
        self.done = 0
        self.total = 0
        self._started = time.monotonic()
        self._shown = 0.0
        self._saved = 0.0

    def phase(self, name: str, total: int) -> None:
        self.finish()
        with self._lock:
            self.name, self.done, self.total = name, 0, total
            self._started = time.monotonic()
        self.log(f"{name}: {total} bytes")
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

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.callback is not None and (force or now - self._shown >= SHOW_EVERY):
            self._shown = now
            self.callback(self.name, self.done, self.total, now - self._started)
        if self.job is not None and (force or now - self._saved >= SAVE_EVERY):
            self._saved = now
            IngestJob.objects.filter(pk=self.job.pk).update(
                phase=self.name[:32], done=self.done, total=self.total)
            if self.heartbeat is not None:
                self.heartbeat()

    def log(self, line: str) -> None:
        if self.job is None:
            return
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self.job.log = (self.job.log + f"{stamp} {line}\n")[-20000:]
        IngestJob.objects.filter(pk=self.job.pk).update(log=self.job.log)
