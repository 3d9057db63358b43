"""Entry points for scheduled work. Until a task queue is configured these run from the
command line (`diarium archive verify`), started by cron or a systemd timer (docs/archive.md);
a task backend can wrap the same functions."""

from __future__ import annotations

from diarium.archive.fixity import AuditResult, audit


def run_fixity_audit(*, location: str | None = None, max_mb_per_second: float | None = None,
                     workers: int = 1) -> AuditResult:
    rate = max_mb_per_second * 1e6 if max_mb_per_second else None
    return audit(None, location=location, max_bytes_per_second=rate, workers=workers)
