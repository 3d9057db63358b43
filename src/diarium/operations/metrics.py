"""Prometheus metrics at /metrics (docs/operations.md).

Two sources, chosen by where the truth lives:

- Requests (counts by method and status, latency) happen in each web process, so each
  process counts its own. Under gunicorn a scrape reaches one process at random; with
  PROMETHEUS_MULTIPROC_DIR set (before the processes start) prometheus-client keeps every
  process's figures in files there and a scrape adds them up, so the figures are those of
  the whole server, whichever process answers.
- Jobs, workers, ingest, fixity and audit figures are read from the database at scrape time:
  the work is done by worker processes on other machines, which no web process's memory
  sees, while the database sees it all. These queries are a handful of aggregates over
  indexed columns.
"""

from __future__ import annotations

import os

from django.db.models import Count, Sum
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from diarium.archive.models import EventType, Outcome, Package, PreservationEvent
from diarium.audit.models import ChainHead
from diarium.core.jobs.models import Job

from . import health

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter("diarium_http_requests", "HTTP requests answered, by method and status.",
                   ["method", "status"])
LATENCY = Histogram("diarium_http_request_duration_seconds",
                    "Time from the request's arrival in Django to its response.", ["method"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def observe(method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(method, str(status)).inc()
    LATENCY.labels(method).observe(seconds)


class DatabaseCollector:
    """Figures counted in the database when scraped (the same from every process)."""

    def collect(self):
        jobs = GaugeMetricFamily("diarium_jobs", "Background jobs by kind and state.",
                                 labels=["kind", "state"])
        for row in Job.objects.values("kind", "state").annotate(n=Count("id")).order_by():
            jobs.add_metric([row["kind"], row["state"]], row["n"])
        yield jobs
        yield GaugeMetricFamily("diarium_workers_seen",
                                "diarium worker processes seen in the last minute.",
                                value=health.workers_seen())
        ingested = Package.objects.filter(archived_at__isnull=False).aggregate(
            n=Count("id"), size=Sum("size"))
        yield CounterMetricFamily("diarium_archive_ingested_bytes",
                                  "Bytes of packages ingested into the e-archive.",
                                  value=ingested["size"] or 0)
        yield CounterMetricFamily("diarium_archive_ingested_packages",
                                  "Packages ingested into the e-archive.", value=ingested["n"])
        failures = PreservationEvent.objects.filter(
            event_type=EventType.FIXITY_CHECK, outcome=Outcome.FAILURE).count()
        yield CounterMetricFamily("diarium_fixity_failures",
                                  "Fixity checks of an archive copy that failed.",
                                  value=failures)
        yield GaugeMetricFamily("diarium_audit_chain_heads",
                                "Audit hash chains (one per authority and the global one).",
                                value=ChainHead.objects.count())


_database = CollectorRegistry(auto_describe=False)
_database.register(DatabaseCollector())


def multiprocess_mode() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition() -> tuple[bytes, str]:
    """The metrics in the text format, and its content type."""
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        requests = generate_latest(registry)
    else:
        requests = generate_latest(REGISTRY)
    return requests + generate_latest(_database), CONTENT_TYPE_LATEST
