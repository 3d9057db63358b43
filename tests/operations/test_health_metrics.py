"""/health/live, /health/ready and /metrics (issue 16 item 7), and the JSON log format."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from diarium.core.jobs.models import Job, JobState, WorkerBeat
from diarium.core.jobs.worker import Worker
from diarium.core.logging import JsonFormatter
from diarium.operations import health

pytestmark = pytest.mark.django_db
TOKEN = "m3tr1cs-" + "Qz7" * 12


@pytest.fixture(autouse=True)
def _locations(settings, tmp_path):
    settings.ARCHIVE_LOCATIONS = [{"name": "copy-1", "path": str(tmp_path / "a1")},
                                  {"name": "copy-2", "path": str(tmp_path / "a2")}]
    settings.HEALTH_STORAGE_SECONDS = 0  # probe every time in these tests
    health._storage_cache.clear()


def test_live_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_ready_reports_each_check(client, tmp_path):
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "storage:files", "storage:archive:copy-1",
                           "storage:archive:copy-2", "workers", "queue"}
    assert checks["database"]["status"] == "ok"
    assert all(checks[name]["status"] == "ok" for name in checks if name.startswith("storage"))
    assert checks["workers"] == {"status": "warn", "seen": 0}  # no worker: reported, not 503
    assert checks["queue"]["queued"] == 0
    # The probe leaves nothing behind that a listing, a backup or a fixity run would see.
    assert not [p for p in (tmp_path / "a1").rglob("*") if p.is_file()]
    assert str(tmp_path) not in response.content.decode()  # no paths in a public answer


def test_ready_fails_when_a_storage_location_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the location's folder should be")
    settings.ARCHIVE_LOCATIONS = [{"name": "copy-1", "path": str(tmp_path / "a1")},
                                  {"name": "copy-2", "path": str(blocker)}]
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["storage:archive:copy-2"]["status"] == "fail"
    assert body["checks"]["storage:archive:copy-1"]["status"] == "ok"


def test_ready_fails_without_workers_only_when_they_are_required(client, settings):
    settings.HEALTH_REQUIRE_WORKERS = True
    assert client.get("/health/ready").status_code == 503
    worker = Worker(burst=True, scheduler=False, poll=0)
    worker.beat(force=True)
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["workers"] == {"status": "ok", "seen": 1}
    WorkerBeat.objects.update(seen_at=timezone.now() - timezone.timedelta(minutes=5))
    assert client.get("/health/ready").status_code == 503  # seen too long ago
    worker.sign_off()
    assert not WorkerBeat.objects.exists()


def test_a_worker_busy_with_a_long_job_counts_through_its_lease():
    Job.objects.create(kind="core.probe", state=JobState.RUNNING, lease_owner="web-7:4242:99",
                       lease_until=timezone.now() + timezone.timedelta(seconds=60))
    assert health.workers_seen() == 1


def test_queue_depth_and_waiting_time(client, settings):
    settings.HEALTH_QUEUE_WAIT_SECONDS = 60
    job = Job.objects.create(kind="core.probe")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(
        minutes=5))
    queue = client.get("/health/ready").json()["checks"]["queue"]
    assert queue["status"] == "warn" and queue["queued"] == 1
    assert queue["oldest_queued_seconds"] >= 300


# --- /metrics -----------------------------------------------------------------------------

def test_metrics_do_not_exist_without_configuration(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = []
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW = []
    refused = client.get("/metrics")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert "diarium_" not in refused.content.decode()
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_metrics_from_an_allowed_network(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = ["10.0.5.0/24"]
    assert Client(REMOTE_ADDR="10.0.5.17").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.0.6.17").get("/metrics").status_code == 403
    # Behind one proxy the address is the one the proxy saw, not one the client names.
    settings.PROXY_COUNT = 1
    spoofed = Client(REMOTE_ADDR="10.0.5.1", HTTP_X_FORWARDED_FOR="10.0.5.17, 192.0.2.9")
    assert spoofed.get("/metrics").status_code == 403


def sample(text: str, name: str, **labels: str) -> float | None:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return None


def test_metrics_count_requests_jobs_and_chains(client, settings):
    from diarium.audit.models import ChainHead

    settings.METRICS_TOKEN = TOKEN
    Job.objects.create(kind="archive.fixity", state=JobState.FAILED)
    Job.objects.create(kind="archive.fixity", state=JobState.FAILED)
    Job.objects.create(kind="archive.ingest", state=JobState.QUEUED)
    ChainHead.objects.create(chain="global", last_seq=0, last_hash="0" * 64)
    before = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    missing = sample(before, "diarium_http_requests_total", method="GET", status="404") or 0
    client.get("/finns-inte/")
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert sample(text, "diarium_http_requests_total", method="GET", status="404") == \
        missing + 1
    assert sample(text, "diarium_http_request_duration_seconds_count", method="GET") > 0
    assert sample(text, "diarium_jobs", kind="archive.fixity", state="failed") == 2
    assert sample(text, "diarium_jobs", kind="archive.ingest", state="queued") == 1
    assert sample(text, "diarium_audit_chain_heads") == 1
    assert sample(text, "diarium_fixity_failures_total") == 0
    assert sample(text, "diarium_archive_ingested_bytes_total") == 0
    assert sample(text, "diarium_workers_seen") == 0


SCRAPE = """
import os, sys
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
c = Client()
for _ in range(int(sys.argv[1])):
    c.get("/health/live")
"""


def test_metrics_add_up_across_processes(tmp_path, settings):
    """Several web processes (here: two `diarium shell` runs, each a process of its own)
    write to PROMETHEUS_MULTIPROC_DIR; a scrape in a third sees the sum."""
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
           "DIARIUM_DATA_DIR": str(tmp_path / "data"), "DIARIUM_METRICS_TOKEN": TOKEN,
           "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           "DJANGO_SETTINGS_MODULE": "diarium.settings"}
    env.pop("DIARIUM_DATABASE_URL", None)  # the live probe reads no database
    for count in (3, 4):
        subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                        "exec(open(0).read().replace('int(sys.argv[1])', '" + str(count)
                        + "'))"], input=SCRAPE, env=env, check=True, text=True)
    from prometheus_client import CollectorRegistry, generate_latest, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(multiproc))
    text = generate_latest(registry).decode()
    assert sample(text, "diarium_http_requests_total", method="GET", status="200") == 7


# --- logs ---------------------------------------------------------------------------------

def test_json_log_lines():
    record = logging.LogRecord("diarium.test", logging.WARNING, __file__, 1,
                               "stored %s files", (3,), None)
    record.job = "abc"
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "diarium.test"
    assert line["message"] == "stored 3 files" and line["job"] == "abc"
    assert line["time"].endswith("Z")
    try:
        raise ValueError("trasig")
    except ValueError:
        import sys as _sys

        record.exc_info = _sys.exc_info()
    assert "ValueError: trasig" in json.loads(JsonFormatter().format(record))["exception"]


def test_json_log_format_setting(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
    env.update(DIARIUM_DATA_DIR=str(tmp_path), DIARIUM_LOG_FORMAT="json",
               DJANGO_SETTINGS_MODULE="diarium.settings")
    result = subprocess.run([sys.executable, "-c", "import django, logging; django.setup(); "
                             "logging.getLogger('diarium.x').warning('hej %s', 'då')"],
                            env=env, capture_output=True, text=True, check=True)
    assert json.loads(result.stderr.strip().splitlines()[-1])["message"] == "hej då"
