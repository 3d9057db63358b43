"""Who holds a piece of work: an owner id names the host, process and thread, and a lease
runs out unless it is renewed. Used for jobs (runner.py) and for the domain's own leases
(an ingested package, an executing disposal list), which keep their own rows."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable

from django.db import DatabaseError, close_old_connections, connection

log = logging.getLogger(__name__)


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def owner_alive(owner: str) -> bool:
    """False only when the owner is a process on this host that no longer exists; on
    another host nothing can be told from here, and the lease's expiry decides."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Heartbeat:
    """Renews a lease from a thread of its own every `every` seconds while long work runs,
    so that work without progress reports keeps its lease. `renew` returns False when the
    lease was lost (taken over): `lost` is then set and the work should stop."""

    def __init__(self, renew: Callable[[], bool], every: float) -> None:
        self._renew = renew
        self._every = max(0.05, every)
        self._stop = threading.Event()
        self.lost = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="job-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self._every):
                try:
                    if not self._renew():
                        self.lost.set()
                        return
                except DatabaseError:  # the database is away for a moment: try again
                    log.warning("could not renew a lease", exc_info=True)
                    close_old_connections()
        finally:
            connection.close()  # the thread's own connection
