"""diarium archive ingest PATH... [--agreement REF] [--user NAME] [--quiet] [--queue]

Runs each ingest here, as a job with a progress bar (a worker takes it over if this
process dies), or with --queue leaves it to `diarium worker` and prints the job's id.
Exit code 0 when every package is archived (or already was; with --queue: queued), 1 when
one was rejected or failed (the receipt or error is printed), 2 for a usage error."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from diarium.archive.ingest import IngestBusy
from diarium.archive.models import Package, PackageState
from diarium.archive.tasks import INGEST, Retry, start_ingest
from diarium.core import actors
from diarium.core.jobs.services import run_here

from .common import actor, add_queue_option, report_queued
from .progress import ProgressLine


def add_parser(actions) -> None:
    parser = actions.add_parser(
        "ingest", help="Ingest SIPs (folder, .zip, .tar[.gz]) into the e-archive: validate, "
        "store an AIP in every storage location, verify every copy.")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--agreement", help="Submission agreement (reference or id); default: "
                        "the one each SIP names in altRecordID SUBMISSIONAGREEMENT.")
    parser.add_argument("--user", help="Act as this archivist (default: the principal "
                        "system:ingest).")
    parser.add_argument("--quiet", action="store_true", help="No progress line.")
    add_queue_option(parser)


def run(command, paths: list[str], agreement: str | None, user: str | None, quiet: bool,
        queue: bool = False, **_options) -> None:
    who = actor(user, actors.INGEST)
    if queue:
        for path in paths:
            try:
                job = start_ingest(who, path=Path(path).resolve(), agreement=agreement)
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError(f"{path}: {_message(exc)}", returncode=2) from exc
            report_queued(command, job, f"{path}: ")
        return
    not_archived = 0
    for path in paths:
        line = None if quiet else ProgressLine.for_command(command, f"{path}: ")
        started = time.monotonic()
        try:
            package = _ingest_here(who, path, agreement, line)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(f"{path}: {_message(exc)}", returncode=2) from exc
        finally:
            if line is not None:
                line.end()
        seconds = time.monotonic() - started
        if package.state == PackageState.ARCHIVED:
            rate = package.size / 1e6 / seconds if seconds else 0.0
            command.stdout.write(
                f"{path}: archived {package.objid or package.name} as {package.aip_id} "
                f"({package.file_count} files, {package.size / 1e6:.1f} MB, {seconds:.1f} s, "
                f"{rate:.1f} MB/s)")
            continue
        not_archived += 1
        if package.state == PackageState.REJECTED:
            errors = [f for f in (package.report or {}).get("findings", [])
                      if f.get("severity") == "ERROR"]
            command.stdout.write(f"{path}: REJECTED ({len(errors)} errors), receipt "
                                 f"{package.pk}")
            for finding in errors[:20]:
                command.stdout.write(f"  {finding['requirement']}: {finding['message_en']}")
        else:
            command.stdout.write(f"{path}: FAILED: {package.error}")
    if not_archived:
        raise CommandError(f"{not_archived} package(s) not archived", returncode=1)


def _ingest_here(who, path: str, agreement: str | None, line) -> Package:
    """Run the ingest job here; the package in its final state."""
    params = {"path": str(Path(path).resolve()), "agreement": agreement, "upload": False}
    try:
        job = run_here(INGEST, actor=who, principal="system:ingest", params=params,
                       callback=line)
    except Retry as exc:
        if isinstance(exc.__cause__, IngestBusy):
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        return Package.objects.get(pk=exc.subject.pk)
    return Package.objects.get(pk=job.result["package"])


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)
