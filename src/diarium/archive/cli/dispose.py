"""diarium archive dispose RUN_ID [--user NAME] [--quiet]

Executes an approved disposal list (or finishes one that was interrupted): every item is
checked again, its content destroyed in every storage copy and in the file store, and the
certificate made. Exit code 0 when the list is completed, 1 when items failed (run the
command again), 2 when the list cannot be executed (not approved, no permission, busy)."""

from __future__ import annotations

import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from diarium.archive.disposal import DisposalBusy, access, execute
from diarium.archive.models import DisposalRun, ItemState, RunState
from diarium.core.actors import DISPOSAL

from .common import actor


def add_parser(actions) -> None:
    parser = actions.add_parser(
        "dispose", help="Execute an approved disposal list (gallringslista) and make its "
        "certificate.")
    parser.add_argument("run_id", metavar="RUN_ID", help="The disposal list's id.")
    parser.add_argument("--user", help="Act as this archivist or administrator (default: "
                        "the principal system:disposal).")
    parser.add_argument("--quiet", action="store_true", help="No progress line.")


def run(command, run_id: str, user: str | None, quiet: bool, **_options) -> None:
    who = actor(user, DISPOSAL)
    try:
        found = DisposalRun.objects.select_related("authority").get(pk=run_id)
    except (DisposalRun.DoesNotExist, ValueError, ValidationError) as exc:
        raise CommandError(f"no disposal list {run_id!r}", returncode=2) from exc

    def show(done: int, total: int) -> None:
        if not quiet:
            sys.stderr.write(f"\r{found.label}: {done}/{total} items")
            sys.stderr.flush()

    try:
        result = execute(who, found, progress=show)
    except (ValidationError, PermissionDenied, DisposalBusy) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise CommandError(f"{found.label}: {text}", returncode=2) from exc
    finally:
        if not quiet:
            sys.stderr.write("\n")
    counts = access.counts(result)
    command.stdout.write(
        f"{result.label}: {counts[ItemState.DISPOSED]} disposed of, "
        f"{counts[ItemState.SKIPPED]} skipped ({counts['held']} held), "
        f"{counts[ItemState.FAILED]} failed")
    if result.state != RunState.COMPLETED:
        raise CommandError(result.error or "not completed", returncode=1)
    command.stdout.write(f"certificate: PDF sha256 {result.certificate_pdf_id}, "
                         f"JSON sha256 {result.certificate_json_id}")
