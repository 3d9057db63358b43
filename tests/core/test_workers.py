"""Real `diarium worker` processes on the test database: progress is visible through the
API while a job runs; a worker killed with SIGKILL leaves its job to another worker once
the lease runs out, and the job completes once; many workers share one queue and run
every job exactly once (4 workers and 1,000 jobs on PostgreSQL, 2 and 200 on SQLite)."""

from __future__ import annotations

import collections
import signal
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

from diarium.core.jobs import services
from diarium.core.jobs.models import Job, JobState
from tests import factories as f
from tests.workers import finish, start_worker, wait_for, worker_env

pytestmark = pytest.mark.django_db(transaction=True)
LEASE = "2"


@pytest.fixture(autouse=True)
def _own_notes(settings, tmp_path):
    """Each test its own data dir, so the probe's notes are this test's alone."""
    settings.DATA_DIR = tmp_path


def notes(settings) -> list[str]:
    path = Path(settings.DATA_DIR) / "probe" / "runs.log"
    return path.read_text().splitlines() if path.exists() else []


def test_progress_is_visible_through_the_api_while_a_worker_runs(settings):
    user = f.user()
    job = services.start("core.probe", actor=user, params={"steps": 30, "sleep": 0.1})
    api = APIClient()
    api.force_authenticate(user)
    worker = start_worker(worker_env(settings), "--burst")
    try:
        seen = wait_for(lambda: (lambda b: b if b["state"] == "running" and 0 < b["done"] < 30
                                 else None)(api.get(f"/api/v1/jobs/{job.pk}/").json()))
        assert seen["total"] == 30 and seen["message"] == "probe" and 0 < seen["percent"] < 100
    finally:
        finish(worker)
    done = api.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (done["state"], done["done"], done["percent"]) == ("succeeded", 30, 100)


def test_a_killed_workers_job_is_taken_over_after_its_lease_and_completed_once(settings):
    job = services.start("core.probe", principal="system:test",
                         params={"steps": 20, "sleep": 0.2, "record": "runs.log"})
    env = worker_env(settings, DIARIUM_JOB_LEASE_SECONDS=LEASE)
    first = start_worker(env)
    wait_for(lambda: f"start {job.pk} 1" in notes(settings))
    first.send_signal(signal.SIGKILL)
    first.wait()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1  # killed mid-way
    lost_at = job.lease_until
    second = start_worker(env, "--burst")
    finish(second)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert job.started_at < lost_at <= job.finished_at
    assert notes(settings) == [f"start {job.pk} 1", f"start {job.pk} 2", f"done {job.pk}"]
    assert "stopped (attempt 1); its lease ran out" in job.log


def test_sigterm_lets_the_job_in_hand_finish(settings):
    job = services.start("core.probe", principal="system:test",
                         params={"steps": 10, "sleep": 0.1, "record": "runs.log"})
    worker = start_worker(worker_env(settings))
    wait_for(lambda: f"start {job.pk} 1" in notes(settings))
    worker.send_signal(signal.SIGTERM)
    finish(worker, timeout=60)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 1


@pytest.mark.slow
def test_many_workers_run_every_job_exactly_once_and_take_over_a_killed_ones(settings):
    postgres = connection.vendor == "postgresql"
    count, processes = (1000, 4) if postgres else (200, 2)
    # The long job first, so that a worker is inside it while the others queue behind.
    long = services.start("core.probe", principal="system:test",
                          params={"steps": 20, "sleep": 0.3, "record": "runs.log"})
    jobs = [services.start("core.probe", principal="system:test",
                           params={"record": "runs.log"}).pk for _ in range(count - 1)]
    env = worker_env(settings, DIARIUM_JOB_LEASE_SECONDS=LEASE)
    workers = [start_worker(env, "--burst") for _ in range(processes)]
    # Kill the worker that holds the long job, while it sleeps in it.
    wait_for(lambda: f"start {long.pk} 1" in notes(settings))
    owner = Job.objects.get(pk=long.pk).lease_owner
    victim = next(w for w in workers if f":{w.pid}:" in owner)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    finish(*[w for w in workers if w is not victim], timeout=1800)
    states = collections.Counter(Job.objects.values_list("state", flat=True))
    assert states == {JobState.SUCCEEDED: count}
    done = collections.Counter(line.split()[1] for line in notes(settings)
                               if line.startswith("done "))
    assert set(done) == {str(pk) for pk in [*jobs, long.pk]}
    assert set(done.values()) == {1}, [k for k, v in done.items() if v > 1]
    attempts = collections.Counter(Job.objects.values_list("attempts", flat=True))
    assert attempts == {1: count - 1, 2: 1}
    assert Job.objects.get(pk=long.pk).attempts == 2
