"""The archive's background work, as kinds of job (diarium.core.jobs) that `diarium worker`
runs: ingest, the fixity audit, executing a disposal list, archiving closed cases
(export + ingest) and building a DIP. Views, the API and the command line start them with
`start_*` (queued; the endpoints answer 202 with the job) or run them in the foreground
(`diarium.core.jobs.services.run_here`, the command line's default).

Every handler is safe to run again after a worker died mid-way: the ingest resumes under
the package's lease (same producer package id), a disposal list resumes from its open
items under the run's lease, a DIP order is delivered once, an archived case is linked
once and skipped by the next pass, and a fixity audit's result is the job's."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from diarium.archive import selectors
from diarium.archive.dip import services as dip
from diarium.archive.dip.builder import DamagedCopy
from diarium.archive.disposal import DisposalBusy, access, execute
from diarium.archive.erms.cli import default_out_dir
from diarium.archive.fixity import audit
from diarium.archive.ingest import IngestBusy, ingest_package
from diarium.archive.ingest.agreements import resolve_agreement
from diarium.archive.models import (
    DipOrder,
    DisposalRun,
    ItemState,
    Package,
    PackageState,
    RunState,
)
from diarium.archive.transfer import archive_closed_cases, cases_to_archive
from diarium.archive.uploads import persisted
from diarium.audit.tasks import queue_checkpoint
from diarium.core import actors
from diarium.core.jobs.kinds import JobError, JobFailed, kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress
from diarium.core.jobs.services import start

INGEST = "archive.ingest"
FIXITY = "archive.fixity"
DISPOSE = "archive.dispose"
EXPORT_CASES = "archive.export_cases"
DIP_BUILD = "archive.dip_build"


class Retry(JobError):
    """The work did not finish this time and may next time (a storage location was away, a
    delivery is being ingested by someone else): the job is tried again. `subject`: the
    package (or list) it was about, for the command line's report."""

    def __init__(self, message: str, subject: Any = None) -> None:
        super().__init__(message)
        self.subject = subject


def actor_of(job: Job):
    """Who the job's code acts as: the user who started it, or its system principal
    (LookupError for a name no principal has)."""
    return job.started_by if job.started_by_id else actors.principal(job.principal)


def _subject_link(view: str, argument: str):
    def link(job: Job) -> str | None:
        return reverse(view, kwargs={argument: job.subject_id}) if job.subject_id else None
    return link


# -- ingest -------------------------------------------------------------------------------

def megabytes(size: int | None) -> str:
    return f"{(size or 0) / 1e6:.1f}"


def _ingested(result: dict) -> list[tuple[str, Any]]:
    return [(gettext("Package"), result["objid"] or result["package"]),
            (gettext("State"), _state_label(result["state"])),
            (gettext("Files"), result["files"]),
            (gettext("Size (MB)"), megabytes(result["size"]))]


def _state_label(state: str) -> str:
    return str(dict(PackageState.choices).get(state, state))


@kind(INGEST, label=_("Ingest"), may_view=selectors.is_archivist,
      link=_subject_link("archive:package", "package_id"), describe=_ingested)
def ingest(job: Job, progress: Progress) -> dict:
    path = Path(job.params["path"])
    try:
        package = ingest_package(actor_of(job), path, job.params.get("agreement"),
                                 progress=progress)
    except IngestBusy as exc:
        raise Retry(str(exc)) from exc
    if package.state == PackageState.FAILED:
        raise Retry(package.error, package)
    if job.params.get("upload"):  # archived or rejected: the upload has done its work
        shutil.rmtree(path.parent, ignore_errors=True)
    return package_result(package)


def package_result(package: Package) -> dict[str, Any]:
    return {"package": str(package.pk), "objid": package.objid, "state": package.state,
            "files": package.file_count, "size": package.size}


def start_ingest(actor, *, path: Path | None = None, upload: UploadedFile | None = None,
                 agreement=None) -> Job:
    """Queue the ingest of the package at path, or of an upload (kept in the upload folder
    until the package is archived or rejected; while the ingest fails it stays, for a
    retry). A named agreement is checked first: unknown 400, not the actor's 403."""
    if agreement:
        agreement = resolve_agreement(actor, agreement, None)
    if upload is not None:
        path = persisted(upload)
    try:
        return start(INGEST, actor=actor, principal="system:archive", params={
            "path": str(path), "upload": upload is not None,
            "agreement": agreement.reference if agreement else None})
    except BaseException:
        if upload is not None:
            shutil.rmtree(path.parent, ignore_errors=True)
        raise


# -- fixity audit -------------------------------------------------------------------------

def _audited(result: dict) -> list[tuple[str, Any]]:
    return [(gettext("Copies checked"), result["copies"]),
            (gettext("Copies in good order"), result["good"]),
            (gettext("Damaged copies"), ", ".join(result["damaged"]) or "–"),
            (gettext("Repaired copies"), ", ".join(result["repaired"]) or "–"),
            (gettext("Copies not repaired"), ", ".join(result["unrepaired"]) or "–"),
            (gettext("Read (MB)"), megabytes(result["bytes_read"])),
            (gettext("Seconds"), result["seconds"])]


@kind(FIXITY, label=_("Fixity audit"), may_view=selectors.is_archivist, describe=_audited)
def fixity(job: Job, progress: Progress) -> dict:
    params = job.params
    rate = params.get("max_mb_per_second")
    result = audit(actor_of(job), location=params.get("location"),
                   package=params.get("package"),
                   max_bytes_per_second=rate * 1e6 if rate else None,
                   workers=int(params.get("workers") or 1),
                   repair=params.get("repair", True), progress=progress)
    summary = {"copies": result.copies, "good": result.good, "damaged": result.damaged,
               "repaired": result.repaired, "unrepaired": result.unrepaired,
               "bytes_read": result.bytes_read, "seconds": round(result.seconds, 3)}
    if not result.ok:
        raise JobFailed(f"{len(result.unrepaired)} copies could not be repaired: "
                        + "; ".join(result.unrepaired), result=summary)
    return summary


# -- disposal -------------------------------------------------------------------------------

def _disposed(result: dict) -> list[tuple[str, Any]]:
    rows = [(gettext("Disposal list"), result["list"]),
            (gettext("State"), str(dict(RunState.choices).get(result["state"], result["state"])))]
    states = {**dict(ItemState.choices), "held": pgettext("disposal items", "Held"),
              "total": gettext("Total")}
    return rows + [(str(states.get(key, key)), value) for key, value in result.items()
                   if key not in ("list", "state")]


@kind(DISPOSE, label=_("Disposal"), may_view=access.may_dispose,
      link=_subject_link("archive:disposal_run", "run_id"), describe=_disposed)
def dispose(job: Job, progress: Progress) -> dict:
    run = DisposalRun.objects.select_related("authority").get(pk=job.subject_id)
    try:
        run = execute(actor_of(job), run, progress=progress)
    except DisposalBusy as exc:
        raise Retry(str(exc)) from exc
    counts = access.counts(run)
    if run.state != RunState.COMPLETED:
        raise Retry(run.error or "not completed", run)
    queue_checkpoint("disposal")  # anchor the audit chains right after what was destroyed
    return {"list": run.label, "state": run.state, **counts}


def start_disposal(actor, run: DisposalRun) -> Job:
    """Queue the execution of an approved list (one job per list at a time)."""
    return start(DISPOSE, actor=actor, principal="system:disposal", subject=run,
                 exclusive=True)


# -- archiving closed cases (export + ingest) -------------------------------------------

def _exported(result: dict) -> list[tuple[str, Any]]:
    return [(gettext("Archived cases"), ", ".join(result["archived"]) or "–")]


@kind(EXPORT_CASES, label=_("Archiving of closed cases"), may_view=selectors.is_archivist,
      describe=_exported)
def export_cases(job: Job, progress: Progress) -> dict:
    params = job.params
    since = dt.date.fromisoformat(params["since"]) if params.get("since") else None
    wanted = {"authority": params.get("authority"), "since": since,
              "include_voided": bool(params.get("include_voided"))}
    total = sum(1 for _case in cases_to_archive(**wanted))
    limit = params.get("limit")
    progress.set(0, min(total, limit) if limit else total, "export")
    done: list = []

    def report(result) -> None:
        done.append(result)
        progress.set(len(done), message=result.case.diary_number)

    results = archive_closed_cases(
        actor_of(job), Path(params.get("out") or default_out_dir()), **wanted,
        agreement=params.get("agreement") or None, as_zip=bool(params.get("zip")),
        keep=bool(params.get("keep")), limit=limit, report=report)
    failed = {r.case.diary_number: r.error for r in results if r.link is None}
    if failed:
        raise Retry(f"{len(failed)} case(s) not archived: "
                    + "; ".join(f"{k}: {v}" for k, v in failed.items()))
    return {"archived": [r.case.diary_number for r in results]}


def queue_export_cases(options: dict) -> Job:
    """Queue one pass of `export-cases --ingest` with the command line's options."""
    from diarium.archive.cli.common import actor

    since = options.get("since")
    params = {"authority": options.get("authority"), "since": since.isoformat() if since
              else None, "include_voided": bool(options.get("include_voided")),
              "agreement": options.get("submission_agreement") or None,
              "zip": bool(options.get("zip")), "keep": bool(options.get("keep")),
              "limit": options.get("limit"), "out": options.get("out")}
    return start(EXPORT_CASES, actor=actor(options.get("user"), actors.EXPORT),
                 principal="system:export", params=params)


# -- DIP build ----------------------------------------------------------------------------

def _built(result: dict) -> list[tuple[str, Any]]:
    return [(gettext("File"), result["file"]), (gettext("Size (MB)"), megabytes(result["size"])),
            ("SHA-256", result["sha256"])]


@kind(DIP_BUILD, label=_("DIP build"), may_view=selectors.is_archivist,
      link=_subject_link("archive:order", "order_id"), describe=_built)
def dip_build(job: Job, progress: Progress) -> dict:
    order = DipOrder.objects.get(pk=job.subject_id)
    progress.set(0, 1, "build")
    try:
        delivery = dip.deliver(actor_of(job), order)
    except DamagedCopy as exc:
        raise JobFailed(str(exc)) from exc
    progress.set(1)
    return {"delivery": str(delivery.pk), "file": delivery.file_name, "size": delivery.size,
            "sha256": delivery.sha256}


def start_dip_build(actor, order: DipOrder) -> Job:
    return start(DIP_BUILD, actor=actor, principal="system:archive", subject=order,
                 exclusive=True)


# -- the command line's old entry point --------------------------------------------------

def run_fixity_audit(*, location: str | None = None, max_mb_per_second: float | None = None,
                     workers: int = 1) -> Job:
    """Queue a fixity audit as the system (what the schedule does every night)."""
    return start(FIXITY, principal="system:fixity",
                 params={"location": location, "max_mb_per_second": max_mb_per_second,
                         "workers": workers})
