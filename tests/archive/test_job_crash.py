"""Every kind of archive job survives its worker's death: a real `diarium worker` is
stopped and killed (SIGKILL) while it runs the job; another worker takes the job over when
the lease runs out, and the work is done exactly once (one package per delivery, one
archived case per case, one delivery per order, one completed disposal list, one audit
result)."""

from __future__ import annotations

import os
import signal

import pytest
from django.utils import timezone

from diarium.archive import disposal
from diarium.archive.dip import services as dip
from diarium.archive.models import (
    ArchivedCase,
    Delivery,
    DisposalRecord,
    Package,
    PackageState,
    RunState,
)
from diarium.archive.tasks import (
    EXPORT_CASES,
    FIXITY,
    start_dip_build,
    start_disposal,
    start_ingest,
)
from diarium.core.jobs.models import Job, JobState
from diarium.core.jobs.services import start
from diarium.registry import services as registry
from tests import factories as f
from tests.workers import finish, start_worker, wait_for, worker_env

from . import disposal_world
from .archived import archive_closed, diarium_agreement, upload
from .conftest import sip

pytestmark = pytest.mark.django_db(transaction=True)
BIG = 24 << 20


@pytest.fixture
def env(settings, locations, tmp_path):
    settings.DATA_DIR = tmp_path
    return worker_env(settings, locations, DIARIUM_JOB_LEASE_SECONDS="2")


def killed_and_taken_over(job: Job, env: dict, ready=lambda job: True) -> Job:
    """Stop the worker the moment it runs the job (and `ready` holds), kill it, let a
    second worker take the job over; the job as it ended."""
    worker = start_worker(env)
    try:
        wait_for(lambda: (lambda j: j.state == JobState.RUNNING and ready(j))(
            Job.objects.get(pk=job.pk)), every=0.002)
        worker.send_signal(signal.SIGSTOP)
        held = Job.objects.get(pk=job.pk)
        assert (held.state, held.attempts) == (JobState.RUNNING, 1), "finished too soon"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finish(start_worker(env, "--burst"))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 2 and "its lease ran out" in job.log
    return job


def closed_cases(count: int):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("reg", roles={ks.authority: "registrar"})
    diarium_agreement(ks.authority)
    for n in range(count):
        case = f.case(reg, ks, title=f"Ritningar {n}")
        f.document(reg, case, "Ritning", uploads=[
            upload(f"ritning-{n}-{i}.bin", os.urandom(BIG)) for i in range(2)])
        registry.close_case(reg, case, "Klart.")
    return ks, reg


def test_ingest(env, tmp_path, agreement, archivist):
    source = sip(tmp_path / "in", name="big-1", data={
        f"big-{n}.bin": os.urandom(BIG) for n in range(3)})
    job = start_ingest(archivist, path=source, agreement="LÖ-2024-1")
    job = killed_and_taken_over(job, env, lambda j: j.message in {"validate", "copy",
                                                                   "verify"})
    package = Package.objects.get(objid="big-1")
    assert package.state == PackageState.ARCHIVED and job.result["package"] == str(package.pk)
    assert Package.objects.count() == 1


def test_export_of_closed_cases(env, tmp_path):
    closed_cases(3)
    job = start(EXPORT_CASES, principal="system:export", params={"out": str(tmp_path / "out")})
    # The job saves its count about once a second, so a quick export may never show
    # done=1 while it runs; the first archived case's row is the sure sign.
    job = killed_and_taken_over(job, env, lambda j: ArchivedCase.objects.exists())
    assert ArchivedCase.objects.count() == 3 and Package.objects.count() == 3
    assert Package.objects.filter(state=PackageState.ARCHIVED).count() == 3
    assert len(job.result["archived"]) <= 3  # the second attempt archived what was left


def test_fixity_audit(env, tmp_path):
    closed_cases(1)
    archive_closed(tmp_path / "export")
    job = start(FIXITY, principal="system:fixity", params={"max_mb_per_second": 40})
    job = killed_and_taken_over(job, env, lambda j: j.done > 0)
    assert job.result["copies"] == 2 and job.result["good"] == 2
    assert job.result["damaged"] == []


def test_dip_build(env, tmp_path):
    ks, _reg = closed_cases(1)
    archive_closed(tmp_path / "export")
    archivist = f.user("ark", roles={ks.authority: "archivist"})
    order = dip.order_dip(archivist, Package.objects.get(), recipient="Anna")
    job = killed_and_taken_over(start_dip_build(archivist, order), env)
    assert Delivery.objects.filter(order=order).count() == 1
    assert job.result["delivery"] == str(Delivery.objects.get().pk)


def test_disposal(env, tmp_path):
    world = disposal_world.build(tmp_path)
    run = disposal.create_run(world.archivist, world.plan.ks.authority,
                              due_on=timezone.localdate())
    disposal.approve(world.approver, run, disposal_world.DECISION, "")
    job = killed_and_taken_over(start_disposal(world.archivist, run), env)
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED and run.certificate_pdf_id
    disposed = run.items.filter(state="disposed").count()
    assert disposed == job.result["disposed"] >= 1 and not run.items.filter(
        state__in=["pending", "failed"]).exists()
    # One disposal record per disposed item (a OneToOne: never two for one item).
    assert DisposalRecord.objects.filter(run=run).count() == disposed
