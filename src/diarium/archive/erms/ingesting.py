"""`diarium archive export-cases --ingest [--watch]`: export closed cases, ingest them and
link each case to its package; with --watch, again every --interval seconds until stopped
(SIGTERM or SIGINT end it after the case in progress)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from diarium.archive.cli.common import actor
from diarium.archive.transfer import Transferred, archive_closed_cases, watch
from diarium.core.actors import EXPORT


def run_ingest(command: BaseCommand, out: Path, **options) -> None:
    who = actor(options.get("user"), EXPORT)
    stop = threading.Event()
    failed: list[str] = []

    def report(result: Transferred) -> None:
        if result.link is not None:
            command.stdout.write(f"{result.case.diary_number}\t{result.link.objid}\t"
                                 f"{result.link.package_id}")
        else:
            failed.append(result.case.diary_number)
            command.stderr.write(f"{result.case.diary_number}: {result.error}")

    def one_pass() -> list[Transferred]:
        results = archive_closed_cases(
            who, out, authority=options.get("authority"), since=options.get("since"),
            include_voided=options.get("include_voided", False),
            agreement=options.get("submission_agreement") or None,
            as_zip=options.get("zip", False), keep=options.get("keep", False),
            limit=options.get("limit"), report=report, stop=stop)
        archived = sum(1 for r in results if r.link is not None)
        if results or not options.get("watch"):
            command.stdout.write(f"{archived} case(s) archived, "
                                 f"{len(results) - archived} failed.")
        return results

    if not options.get("watch"):
        one_pass()
        if failed:
            raise CommandError(f"not archived: {', '.join(failed)}", returncode=1)
        return
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        command.stdout.write(f"Watching for closed cases every {options['interval']:g} s.")
        # A long-running watcher outlives database connections: drop stale ones first.
        watch(one_pass, options["interval"], stop, before_pass=close_old_connections)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
