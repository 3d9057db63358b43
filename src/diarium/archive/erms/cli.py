"""`diarium archive export-cases`: SIPs with CITS ERMS for closed cases not yet exported.

    diarium archive export-cases [--authority KS] [--out DIR] [--since DATE] [--zip]
                                 [--include-voided] [--submission-agreement ID] [--limit N]
                                 [--ingest [--keep] [--user NAME] [--watch [--interval S]]
                                  [--queue]]

With --ingest every exported SIP is ingested at once and the case linked to its package
(diarium.archive.transfer); --watch keeps doing so as cases close.

Exit code 0 when every case was exported (or there was nothing to do), 1 when one or more
cases failed (the others are still exported; the failures are listed)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .export import closed_cases_to_export, export_case_sip
from .schema import ErmsInvalid


def default_out_dir() -> Path:
    return Path(settings.DATA_DIR) / "archive-export"


def add_parser(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "export-cases", help="Export closed cases not yet exported as E-ARK SIPs with CITS "
        "ERMS (FGS Ärendehantering 2.0).")
    parser.add_argument("--authority", help="Only this authority (its code, e.g. KS).")
    parser.add_argument("--out", help="Output folder (default: <data dir>/archive-export).")
    parser.add_argument("--since", type=dt.date.fromisoformat,
                        help="Only cases closed on or after this date (YYYY-MM-DD).")
    parser.add_argument("--zip", action="store_true", help="Write .zip files, not folders.")
    parser.add_argument("--include-voided", action="store_true",
                        help="Also export voided (makulerade) cases.")
    parser.add_argument("--submission-agreement", default="",
                        help="Submission agreement reference (leveransöverenskommelse).")
    parser.add_argument("--limit", type=int, help="Export at most this many cases.")
    parser.add_argument("--ingest", action="store_true",
                        help="Ingest each package into the e-archive at once and link the case "
                        "to it (under --submission-agreement, or the agreement in force of the "
                        "case's archive creator with producer Diarium).")
    parser.add_argument("--keep", action="store_true",
                        help="With --ingest: keep the SIPs in --out (the AIP holds them anyway).")
    parser.add_argument("--user", help="With --ingest: act as this archivist (default: the "
                        "principal system:export).")
    parser.add_argument("--watch", "--continuous", action="store_true", dest="watch",
                        help="With --ingest: keep running, archiving cases as they close.")
    parser.add_argument("--interval", type=float, default=60.0,
                        help="With --watch: seconds between passes (default 60).")
    parser.add_argument("--queue", action="store_true",
                        help="With --ingest: leave the pass to `diarium worker` (a job; the "
                        "schedule in JOB_SCHEDULE does the same every night).")


def run(command: BaseCommand, **options) -> None:
    if options.get("queue"):
        from diarium.archive.tasks import queue_export_cases

        if not options.get("ingest") or options.get("watch"):
            raise CommandError("--queue needs --ingest (and no --watch)", returncode=2)
        job = queue_export_cases(options)
        command.stdout.write(f"queued job {job.pk} ({job.kind})")
        return
    if options.get("ingest"):
        from .ingesting import run_ingest

        run_ingest(command, Path(options.pop("out", None) or default_out_dir()), **options)
        return
    if options.get("watch"):
        raise CommandError("--watch needs --ingest", returncode=2)
    out = Path(options.get("out") or default_out_dir())
    cases = closed_cases_to_export(out, authority=options.get("authority"),
                                   since=options.get("since"),
                                   include_voided=options.get("include_voided", False))
    exported, failed = 0, []
    for case in cases:
        if options.get("limit") is not None and exported + len(failed) >= options["limit"]:
            break
        try:
            path = export_case_sip(case, out, as_zip=options.get("zip", False),
                                   include_voided=options.get("include_voided", False),
                                   submission_agreement=options.get("submission_agreement", ""))
        except ErmsInvalid as exc:
            failed.append(case.diary_number)
            command.stderr.write(str(exc))
            continue
        except Exception as exc:  # one broken case must not stop the others
            failed.append(case.diary_number)
            command.stderr.write(f"{case.diary_number}: {type(exc).__name__}: {exc}")
            continue
        exported += 1
        command.stdout.write(f"{case.diary_number}\t{path}")
    command.stdout.write(f"{exported} case(s) exported to {out}, {len(failed)} failed.")
    if failed:
        raise CommandError(f"not exported: {', '.join(failed)}", returncode=1)
