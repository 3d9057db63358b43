"""`diarium worker`: takes jobs from the queue and runs them, one at a time per process.

The queue is django-tasks' database backend. A worker claims a ready task row and, for a
job's task, the job's lease in the same transaction (SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL; on SQLite the transaction begins IMMEDIATE, so claimers queue on the write
lock), then runs it. Between tasks it takes back jobs whose worker died (their lease ran
out) and starts the periodic jobs that are due (schedule.py). Any number of workers, on
any number of machines, share one queue.

SIGTERM or SIGINT: finish the job in hand, then stop. A second one stops at once and hands
the job back to the queue."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from types import FrameType

from django.db import (
    DatabaseError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from . import conf, runner, schedule
from .lease import owner_id
from .models import Job, JobState, WorkerBeat

log = logging.getLogger(__name__)
RUN_JOB = "diarium.core.tasks.run_job"


class Worker:
    def __init__(self, *, queues: tuple[str, ...] = ("default",), backend: str = "default",
                 once: bool = False, burst: bool = False, scheduler: bool = True,
                 poll: float | None = None) -> None:
        self.queues = queues
        self.backend = backend
        self.once = once
        self.burst = burst
        self.scheduler = scheduler
        self.poll = conf.poll_seconds() if poll is None else poll
        self.worker_id = get_random_string(32)
        self.running = True
        self.in_task = False
        self.ran = 0
        self._wake = threading.Event()
        self._housekept = 0.0
        self._beat = 0.0
        self.started_at = timezone.now()
        self.beat_id = f"{socket.gethostname()}:{os.getpid()}:{self.worker_id[:8]}"

    # -- signals -------------------------------------------------------------------------
    def install_signals(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        if not self.running and self.in_task:
            log.warning("%s again: stopping now, the job goes back to the queue",
                        signal.strsignal(signum))
            raise SystemExit(1)
        log.warning("%s: stopping after the job in hand", signal.strsignal(signum))
        self.running = False
        self._wake.set()

    # -- the loop ------------------------------------------------------------------------
    def run(self) -> int:
        """Run until stopped (or, with once/burst, until done). Returns tasks run."""
        try:
            while self.running:
                self.housekeep()
                if self.run_one():
                    if self.once:
                        break
                    continue
                if self.burst and self.idle():
                    break
                # Idle: drop a connection that went stale or too old (as a request's end
                # would), not after every task: reconnecting costs more than a small task.
                if not connection.in_atomic_block:  # (a test's transaction must stay open)
                    close_old_connections()
                self._wake.wait(self.poll)
        finally:
            self.sign_off()
        return self.ran

    def housekeep(self, force: bool = False) -> None:
        """Take back lost jobs and start due periodic ones, about once a poll interval."""
        now = time.monotonic()
        if not force and now - self._housekept < max(self.poll, 0.5):
            return
        self._housekept = now
        try:
            self.beat()
            runner.reap()
            if self.scheduler:
                schedule.tick()
        except OperationalError:  # locked or away for a moment: next time
            log.warning("housekeeping failed", exc_info=True)

    def beat(self, force: bool = False) -> None:
        """Write this worker's WorkerBeat row, about every BEAT_SECONDS (health, metrics)."""
        now = time.monotonic()
        if not force and now - self._beat < WorkerBeat.BEAT_SECONDS:
            return
        self._beat = now
        WorkerBeat.objects.update_or_create(worker=self.beat_id, defaults={
            "host": socket.gethostname(), "pid": os.getpid(), "started_at": self.started_at,
            "seen_at": timezone.now(), "jobs_run": self.ran})

    def sign_off(self) -> None:
        """Remove this worker's row when it stops (a killed worker's row just grows old);
        rows not seen for a day are removed by any worker."""
        try:
            WorkerBeat.objects.filter(worker=self.beat_id).delete()
            WorkerBeat.objects.filter(seen_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
        except DatabaseError:
            log.warning("could not remove the worker's heartbeat row", exc_info=True)

    def _ready(self):
        rows = DBTaskResult.objects.ready().filter(backend_name=self.backend)
        if "*" not in self.queues:
            rows = rows.filter(queue_name__in=self.queues)
        return rows

    def claim(self) -> DBTaskResult | None:
        with transaction.atomic():
            row = self._ready().select_for_update(skip_locked=True).first()
            if row is None:
                return None
            row.claim(self.worker_id)
            if row.task_path == RUN_JOB:
                runner.take(row.args_kwargs["args"][0], owner_id())
            return row

    def run_one(self) -> bool:
        try:
            row = self.claim()
        except OperationalError:
            return False
        if row is None:
            return False
        self.in_task = True
        try:
            self._call(row)
        finally:
            self.in_task = False
            self.ran += 1
        return True

    def _call(self, row: DBTaskResult) -> None:
        try:
            result = row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        except Exception as exc:
            log.exception("task %s failed", row.pk)
            row.set_failed(exc)
        except BaseException as exc:
            row.set_failed(exc)
            raise
        else:
            row.set_successful(result)

    def idle(self) -> bool:
        """Nothing ready to run and no job running anywhere (burst mode waits for a running
        job, whose worker may die and leave it to this one)."""
        if self._ready().exists():
            return False
        if Job.objects.filter(state=JobState.RUNNING).exists():
            self.housekeep(force=True)
            return False
        return True
