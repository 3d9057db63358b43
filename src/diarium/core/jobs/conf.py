"""Job settings with working defaults (docs/configuration.md, docs/jobs.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DEFAULT_LEASE_SECONDS = 60
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_RETRY_DELAY_SECONDS = 30
DEFAULT_POLL_SECONDS = 1.0
DEFAULT_SCHEDULE_GRACE_SECONDS = 3600


def lease() -> dt.timedelta:
    """How long a worker's claim on a job lasts without a heartbeat."""
    return dt.timedelta(seconds=float(getattr(settings, "JOB_LEASE_SECONDS",
                                              DEFAULT_LEASE_SECONDS)))


def max_attempts() -> int:
    return int(getattr(settings, "JOB_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def retry_delay(attempt: int) -> dt.timedelta:
    """Wait before the next attempt: the base delay, doubled after every failure."""
    base = float(getattr(settings, "JOB_RETRY_DELAY_SECONDS", DEFAULT_RETRY_DELAY_SECONDS))
    return dt.timedelta(seconds=base * 2 ** max(0, attempt - 1))


def poll_seconds() -> float:
    return float(getattr(settings, "JOB_POLL_SECONDS", DEFAULT_POLL_SECONDS))


def schedule() -> dict:
    return dict(getattr(settings, "JOB_SCHEDULE", {}) or {})


def schedule_grace() -> dt.timedelta:
    """A slot missed by more than this (no worker was running) is skipped, not caught up."""
    return dt.timedelta(seconds=float(getattr(settings, "JOB_SCHEDULE_GRACE_SECONDS",
                                              DEFAULT_SCHEDULE_GRACE_SECONDS)))
