"""diarium archive ingest PATH... [--agreement REF] [--user NAME] [--quiet]

Exit code 0 when every package is archived (or already was), 1 when one was rejected or
failed (the receipt or error is printed), 2 for a usage error."""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from diarium.archive.ingest import IngestBusy, ingest_package
from diarium.archive.models import PackageState
from diarium.core.actors import INGEST

from .common import actor
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


def run(command, paths: list[str], agreement: str | None, user: str | None, quiet: bool,
        **_options) -> None:
    who = actor(user, INGEST)
    not_archived = 0
    for path in paths:
        line = None if quiet else ProgressLine.for_command(command, f"{path}: ")
        started = time.monotonic()
        try:
            package = ingest_package(who, path, agreement, progress=line)
        except (ValidationError, PermissionDenied, IngestBusy) as exc:
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


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)
