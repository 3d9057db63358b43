"""`diarium archive export-cases`: SIPs with CITS ERMS for closed cases not yet exported.

    diarium archive export-cases [--authority KS] [--out DIR] [--since DATE] [--zip]
                                 [--include-voided] [--submission-agreement ID] [--limit N]

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


def run(command: BaseCommand, **options) -> None:
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
