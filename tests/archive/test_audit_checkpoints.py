"""Audit checkpoints in the e-archive's locations, by the schedule and after disposal."""

from __future__ import annotations

import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from diarium.archive.storage import sync_locations
from diarium.audit import checkpoints
from diarium.audit.tasks import CHECKPOINT
from diarium.core.jobs.models import Job
from diarium.core.jobs.services import run_here
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(settings, tmp_path, locations):
    settings.AUDIT_SIGNING_KEY = str(tmp_path / "keys" / "audit.pem")
    settings.AUDIT_CHECKPOINT_DIRS = [str(tmp_path / "checkpoints")]
    call_command("audit", "keygen", "--out", settings.AUDIT_SIGNING_KEY)
    sync_locations()
    ser = f.series(f.authority("ANK"), "ANK")
    f.case(f.user("reg-ank", roles={ser.authority: "registrar"}), ser, title="Skolskjuts")
    return tmp_path


def test_each_archive_location_keeps_a_copy(anchored, locations):
    job = run_here(CHECKPOINT, principal="system:audit", params={"trigger": "manual"})
    name = job.result["checkpoint"]
    for location in locations:
        assert (location / "audit-checkpoints" / name).is_file()
    assert (anchored / "checkpoints" / name).is_file()


def test_a_checkpoint_deleted_from_its_folder_is_still_found_in_the_archive(anchored):
    run_here(CHECKPOINT, principal="system:audit", params={"trigger": "manual"})
    for path in (anchored / "checkpoints").iterdir():
        path.unlink()
    found, problems = checkpoints.read_checkpoints()
    assert len(found) == 1 and problems == []
    call_command("audit", "verify")


def test_the_schedule_takes_a_daily_checkpoint():
    entry = django_settings.JOB_SCHEDULE["audit-checkpoint"]
    assert entry["kind"] == CHECKPOINT and entry["every"] == "1d"


def test_a_completed_disposal_queues_a_checkpoint(anchored, tmp_path):
    from diarium.archive import disposal

    from .disposal_world import DECISION, build

    w = build(tmp_path)
    run = disposal.approve(w.approver, disposal.create_run(w.archivist, w.authority), DECISION)
    call_command("archive", "dispose", str(run.pk), "--user", "ark", "--quiet",
                 stdout=io.StringIO())
    queued = Job.objects.get(kind=CHECKPOINT)
    assert queued.params == {"trigger": "disposal"} and queued.principal == "system:audit"
