"""Health of the installation, as /health/ready reports it (docs/operations.md).

Each check answers `ok`, `warn` or `fail`; the readiness probe fails (503) only on `fail`:

- `database`: a query answers;
- `storage:<name>`: the file store and every archive location take a small object, give it
  back unchanged and delete it (under `.tmp/health/`, which no backup or listing includes).
  The result is kept for HEALTH_STORAGE_SECONDS per process, so a load balancer probing
  every few seconds does not write every few seconds;
- `workers`: `diarium worker` processes seen recently (their heartbeat rows, and jobs whose
  lease a worker is renewing): a warning when none is seen, a failure only with
  HEALTH_REQUIRE_WORKERS, because a web process without workers still serves its pages,
  and taking every web process out of the load balancer for it would stop the whole site;
- `queue`: jobs queued and running, and how long the oldest queued one has waited (a warning
  past HEALTH_QUEUE_WAIT_SECONDS).

Details never include paths, addresses or error texts that could name secrets: the probe
answers without a login."""

from __future__ import annotations

import io
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from diarium.archive.conf import configured_locations
from diarium.core.jobs.models import Job, JobState, WorkerBeat
from diarium.core.storage import Store, store_for
from diarium.documents.store import file_store

log = logging.getLogger(__name__)
OK, WARN, FAIL = "ok", "warn", "fail"
PROBE_PREFIX = ".tmp/health/"


@dataclass
class Check:
    name: str
    status: str
    detail: dict = field(default_factory=dict)


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def database() -> Check:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.warning("readiness: the database does not answer: %s", exc)
        return Check("database", FAIL, {"error": type(exc).__name__})
    return Check("database", OK, {"ms": round((time.monotonic() - started) * 1000, 1)})


def probe(store: Store) -> dict:
    """Write, read back and delete a small object; raises when the store refuses."""
    payload = secrets.token_bytes(32)
    key = f"{PROBE_PREFIX}{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(6)}"
    started = time.monotonic()
    store.write(key, io.BytesIO(payload))
    try:
        with store.open(key) as stream:
            if stream.read() != payload:
                raise OSError("the probe object came back changed")
    finally:
        store.delete(key, reason="readiness probe")
    return {"ms": round((time.monotonic() - started) * 1000, 1)}


_storage_cache: dict[str, tuple[float, Check]] = {}
_storage_lock = threading.Lock()


def _stores() -> list[tuple[str, Store]]:
    found = [("files", file_store())]
    for location in configured_locations():
        found.append((f"archive:{location.name}", store_for(location.name, location.options)))
    return found


def storage() -> list[Check]:
    keep = _setting("HEALTH_STORAGE_SECONDS", 30)
    checks = []
    for name, store in _stores():
        with _storage_lock:
            cached = _storage_cache.get(name)
        if cached and time.monotonic() - cached[0] < keep:
            checks.append(cached[1])
            continue
        try:
            check = Check(f"storage:{name}", OK, probe(store))
        except Exception as exc:  # any refusal of any store is the answer, not a crash
            log.warning("readiness: storage %s failed its probe: %s", name, exc)
            check = Check(f"storage:{name}", FAIL, {"error": type(exc).__name__})
        with _storage_lock:
            _storage_cache[name] = (time.monotonic(), check)
        checks.append(check)
    return checks


def workers_seen() -> int:
    """Workers alive lately: heartbeat rows, plus workers busy with a long job (they renew
    the job's lease, not the heartbeat) that have no recent heartbeat."""
    window = timezone.now() - timezone.timedelta(seconds=_setting("HEALTH_WORKER_SECONDS", 60))
    beats = set(WorkerBeat.objects.filter(seen_at__gte=window).values_list("host", "pid"))
    busy = set()
    for owner in Job.objects.filter(state=JobState.RUNNING,
                                    lease_until__gt=timezone.now()).values_list(
                                        "lease_owner", flat=True):
        host, _, rest = owner.partition(":")
        pid = rest.partition(":")[0]
        if pid.isdigit():
            busy.add((host, int(pid)))
    return len(beats | busy)


def workers() -> Check:
    seen = workers_seen()
    if seen:
        return Check("workers", OK, {"seen": seen})
    status = FAIL if getattr(settings, "HEALTH_REQUIRE_WORKERS", False) else WARN
    return Check("workers", status, {"seen": 0})


def queue() -> Check:
    queued = Job.objects.filter(state=JobState.QUEUED)
    oldest = queued.order_by("created_at").values_list("created_at", flat=True).first()
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    detail = {"queued": queued.count(),
              "running": Job.objects.filter(state=JobState.RUNNING).count(),
              "oldest_queued_seconds": round(waited)}
    late = waited > _setting("HEALTH_QUEUE_WAIT_SECONDS", 600)
    return Check("queue", WARN if late else OK, detail)


def readiness() -> tuple[bool, list[Check]]:
    first = database()
    if first.status == FAIL:  # the other checks read the database too
        return False, [first, *storage()]
    checks = [first, *storage(), workers(), queue()]
    return all(c.status != FAIL for c in checks), checks
