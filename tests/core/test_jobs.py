"""Jobs in one process: run once, retried after failures, failed after three, retried by
an administrator (API and page), taken back when a lease runs out, periodic slots started
once, and who sees which job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from diarium.core.jobs import runner, schedule, services
from diarium.core.jobs.models import Job, JobState
from tests import factories as f
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.JOB_RETRY_DELAY_SECONDS = 0
    settings.JOB_SCHEDULE = {}


def probe_notes(name: str = "runs.log") -> list[str]:
    path = Path(django_settings.DATA_DIR) / "probe" / name
    return path.read_text().splitlines() if path.exists() else []


def admin_user():
    return f.user(roles={f.authority(): "administrator"})


def test_a_queued_job_runs_once_with_its_progress_and_result():
    starter = f.user()
    job = services.start("core.probe", actor=starter, params={"steps": 3, "record": "runs.log"})
    assert job.state == JobState.QUEUED and job.task_id
    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.result) == (JobState.SUCCEEDED, 3, 3,
                                                            {"steps": 3})
    assert job.attempts == 1 and job.lease_owner == "" and job.finished_at is not None
    assert job.started_by == starter and job.principal == ""
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    assert probe_notes() == [f"start {job.pk} 1", f"done {job.pk}"]
    assert run_jobs() == 0  # nothing runs twice


def test_a_second_delivery_of_a_finished_job_does_nothing():
    job = services.start("core.probe", principal="system:test", params={"record": "runs.log"})
    run_jobs()
    runner.enqueue(job)  # the same job on the queue again (a duplicate delivery)
    assert run_jobs() == 1
    assert probe_notes().count(f"done {job.pk}") == 1


def test_a_job_is_started_by_a_user_or_a_system_principal():
    with pytest.raises(ValueError):
        services.start("core.probe", principal="fixity")  # not a system:… name
    job = services.start("core.probe", principal="system:fixity")
    assert job.started_by is None and job.starter == "system:fixity"


def test_an_unknown_kind_is_refused_before_anything_is_stored():
    with pytest.raises(LookupError):
        services.start("no.such.kind", principal="system:test")
    assert not Job.objects.exists()


def test_failing_three_times_is_failed_with_its_error_and_an_administrator_retries_it(tmp_path):
    flag = tmp_path / "probe" / "broken"
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.touch()
    starter = f.user()
    job = services.start("core.probe", actor=starter, params={"fail_while": "broken"})
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 3
    assert job.error == "failing while broken exists"
    assert job.log.count("attempt failed: failing while broken exists") == 3

    admin = admin_user()
    api = APIClient()
    api.force_authenticate(admin)
    failed = api.get("/api/v1/jobs/", {"state": "failed"}).json()["results"]
    assert [(j["id"], j["error"], j["attempts"]) for j in failed] == [
        (str(job.pk), "failing while broken exists", 3)]
    other = APIClient()
    other.force_authenticate(f.user())
    assert other.get("/api/v1/jobs/", {"state": "failed"}).json()["results"] == []
    assert other.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    mine = APIClient()
    mine.force_authenticate(starter)
    assert mine.get(f"/api/v1/jobs/{job.pk}/").status_code == 200
    assert mine.post(f"/api/v1/jobs/{job.pk}/retry/").status_code == 403  # not an admin

    web = Client()
    web.force_login(admin)
    page = web.get(reverse("core:jobs"), {"state": "failed"})
    assert "failing while broken exists" in page.content.decode()
    assert reverse("core:job_retry", args=[job.pk]) in page.content.decode()

    flag.unlink()  # what broke it is mended
    answer = api.post(f"/api/v1/jobs/{job.pk}/retry/")
    assert answer.status_code == 202 and answer["Location"] == f"/api/v1/jobs/{job.pk}/"
    assert answer.json()["state"] == "queued"
    assert api.post(f"/api/v1/jobs/{job.pk}/retry/").status_code == 400  # not failed now
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 1 and job.error == ""
    assert f"retried by {admin.username} after failed (3 attempts)" in job.log


def test_the_retry_button_on_the_page(tmp_path):
    (tmp_path / "probe").mkdir(exist_ok=True)
    (tmp_path / "probe" / "broken").touch()
    job = services.start("core.probe", principal="system:test", params={"fail_while": "broken"})
    run_jobs()
    web = Client()
    web.force_login(admin_user())
    (tmp_path / "probe" / "broken").unlink()
    assert web.post(reverse("core:job_retry", args=[job.pk])).status_code == 302
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    page = web.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'data-job-url="/api/v1/jobs/' in page and "web/jobs.js" in page


def test_a_job_whose_lease_ran_out_is_taken_back_and_completed_once():
    job = services.start("core.probe", principal="system:test", params={"record": "runs.log"})
    # A worker on another machine took it and died: its lease has run out.
    with_lost = DBTaskResult.objects.get(pk=job.task_id)
    with_lost.claim("dead-worker")
    assert runner.take(job.pk, "otherhost:123:1")
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert runner.reap() == 1
    assert runner.reap() == 0
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "otherhost:123:1 stopped" in job.log
    assert DBTaskResult.objects.get(pk=with_lost.pk).status == "FAILED"
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert probe_notes() == [f"start {job.pk} 2", f"done {job.pk}"]


def test_a_live_lease_is_not_taken_and_its_outcome_is_the_holders():
    job = services.start("core.probe", principal="system:test")
    assert runner.take(job.pk, "host:1:1")
    assert not runner.take(job.pk, "host:2:2")
    assert runner.reap() == 0
    assert run_jobs(once=True) == 1  # the delivery finds the job held by another: skipped
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.lease_owner == "host:1:1"


def test_the_third_lost_lease_fails_the_job():
    job = services.start("core.probe", principal="system:test")
    for attempt in range(1, 4):
        assert runner.take(job.pk, f"host:{attempt}:1")
        Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(1))
        runner.reap()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 3
    assert job.error.startswith("The worker stopped before it finished, 3 times.")


def test_an_exclusive_job_is_started_once_while_it_is_active():
    run_on = f.authority()
    first = services.start("core.probe", principal="system:test", subject=run_on,
                           exclusive=True)
    again = services.start("core.probe", principal="system:test", subject=run_on,
                           exclusive=True)
    assert again.pk == first.pk and Job.objects.count() == 1
    run_jobs()
    later = services.start("core.probe", principal="system:test", subject=run_on,
                           exclusive=True)
    assert later.pk != first.pk


def test_a_schedule_slot_is_started_once(settings):
    settings.JOB_SCHEDULE = {
        "probe": {"kind": "core.probe", "every": "1h"},
        "nightly": {"kind": "core.probe", "every": "1d", "at": "02:00",
                    "principal": "system:night"},
    }
    at = timezone.make_aware(dt.datetime(2026, 5, 1, 2, 30))
    started = schedule.tick(at)
    assert sorted(j.principal for j in started) == ["system:night", "system:probe"]
    assert schedule.tick(at + dt.timedelta(minutes=10)) == []
    assert [j.principal for j in schedule.tick(at + dt.timedelta(hours=1))] == ["system:probe"]
    nightly = Job.objects.get(principal="system:night")
    assert nightly.slot == "nightly@2026-05-01T00:00:00+00:00"  # 02:00 in Stockholm
    with pytest.raises(IntegrityError):
        services.start("core.probe", principal="system:x", slot=nightly.slot)
    # A worker that was away for longer than the grace does not replay the past.
    assert schedule.tick(at + dt.timedelta(days=1, hours=3)) != []
    assert all(j.kind == "core.probe" for j in Job.objects.all())


def test_a_bad_schedule_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    for spec in ({"kind": "core.probe", "every": "often"},
                 {"kind": "core.probe", "every": "1h", "at": "02:00"},
                 {"every": "1h"}):
        settings.JOB_SCHEDULE = {"bad": spec}
        with pytest.raises(ImproperlyConfigured):
            schedule.entries()


def test_jobs_api_answers_problems_for_bad_input():
    api = APIClient()
    api.force_authenticate(f.user())
    assert api.get("/api/v1/jobs/", {"state": "nonsense"}).status_code == 400
    assert api.get("/api/v1/jobs/not-a-uuid/").status_code == 404
    assert APIClient().get("/api/v1/jobs/").status_code in (401, 403)
