"""diarium archive dispose RUN_ID [--user NAME] [--quiet]

Executes an approved disposal list (or finishes one that was interrupted): every item is
checked again, its content destroyed in every storage copy and in the file store, and the
certificate made. Exit code 0 when the list is completed, 1 when items failed (run the
command again), 2 when the list cannot be executed (not approved, no permission, busy)."""

from __future__ import annotations

import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from diarium.archive.disposal import DisposalBusy, access, check_executable
from diarium.archive.models import DisposalRun, ItemState, RunState
from diarium.archive.tasks import DISPOSE, Retry, start_disposal
from diarium.core import actors
from diarium.core.jobs.services import run_here

from .common import actor, add_queue_option, report_queued


def add_parser(actions) -> None:
    parser = actions.add_parser(
        "dispose", help="Execute an approved disposal list (gallringslista) and make its "
        "certificate.")
    parser.add_argument("run_id", metavar="RUN_ID", help="The disposal list's id.")
    parser.add_argument("--user", help="Act as this archivist or administrator (default: "
                        "the principal system:disposal).")
    parser.add_argument("--quiet", action="store_true", help="No progress line.")
    add_queue_option(parser)


def run(command, run_id: str, user: str | None, quiet: bool, queue: bool = False,
        **_options) -> None:
    who = actor(user, actors.DISPOSAL)
    try:
        found = DisposalRun.objects.select_related("authority").get(pk=run_id)
    except (DisposalRun.DoesNotExist, ValueError, ValidationError) as exc:
        raise CommandError(f"no disposal list {run_id!r}", returncode=2) from exc

    def show(_phase: str, done: int, total: int, _seconds: float) -> None:
        if not quiet:
            sys.stderr.write(f"\r{found.label}: {done}/{total} items")
            sys.stderr.flush()

    try:
        check_executable(who, found)
        if queue:
            report_queued(command, start_disposal(who, found), f"{found.label}: ")
            return
        run_here(DISPOSE, actor=who, principal="system:disposal", subject=found,
                 callback=show)
    except (ValidationError, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise CommandError(f"{found.label}: {text}", returncode=2) from exc
    except Retry as exc:
        if isinstance(exc.__cause__, DisposalBusy):
            raise CommandError(f"{found.label}: {exc}", returncode=2) from exc
    finally:
        if not quiet and not queue:
            sys.stderr.write("\n")
    result = DisposalRun.objects.select_related("authority").get(pk=found.pk)
    counts = access.counts(result)
    command.stdout.write(
        f"{result.label}: {counts[ItemState.DISPOSED]} disposed of, "
        f"{counts[ItemState.SKIPPED]} skipped ({counts['held']} held), "
        f"{counts[ItemState.FAILED]} failed")
    if result.state != RunState.COMPLETED:
        raise CommandError(result.error or "not completed", returncode=1)
    command.stdout.write(f"certificate: PDF sha256 {result.certificate_pdf_id}, "
                         f"JSON sha256 {result.certificate_json_id}")
