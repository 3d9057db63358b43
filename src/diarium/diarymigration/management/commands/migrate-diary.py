"""`diarium migrate-diary import SOURCE [--mapping FILE] [--dry-run] [--user NAME]`: bring a
former diarium in (docs/migrate-diary.md). Without --user the command acts as the principal
system:diary-migration."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import DIARY_MIGRATION, Actor
from diarium.diarymigration import mapping as mappings
from diarium.diarymigration.importing import import_diary
from diarium.diarymigration.report import Report
from diarium.diarymigration.source import SourceError
from diarium.organisation.models import User


class Progress:
    """count/total and the rate, on one line of standard error per phase."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.phase = ""
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if phase != self.phase:
            if self.phase:
                self.stream.write("\n", ending="")
            self.phase, self.started, self.shown = phase, now, 0.0
        elif now - self.shown < 0.5 and done != total:
            return
        self.shown = now
        seconds = now - self.started
        count = f"{done}/{total}" if total is not None else f"{done}"
        rate = f" ({done / seconds:.0f}/s)" if seconds >= 0.5 else ""
        self.stream.write(f"\r{phase}: {count}{rate}", ending="")
        self.stream.flush()

    def end(self) -> None:
        if self.phase:
            self.stream.write("\n", ending="")


class Command(BaseCommand):
    help = "Bring a former diarium in: CSV files or CITS ERMS packages."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="check an export whole and bring it in")
        p.add_argument("source", help="a folder of CSV files (cases.csv, documents.csv, "
                       "parties.csv, files/), or CITS ERMS packages (a package, a folder "
                       "of them, or an ERMS XML file)")
        p.add_argument("--mapping", help="a YAML or CSV file naming the export's columns "
                       "and codes (docs/migrate-diary.md)")
        p.add_argument("--dry-run", action="store_true",
                       help="check everything and report; bring nothing in")
        p.add_argument("--user", help="act as this user (default: system:diary-migration)")
        p.add_argument("--batch", type=int, default=500, help="cases per transaction")

    def handle(self, *args, **options):
        actor = self._actor(options["user"])
        try:
            mapping = mappings.load(Path(options["mapping"]) if options["mapping"] else None)
        except mappings.MappingError as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError("the mapping file cannot be used") from exc
        progress = Progress(self.stderr)
        try:
            report = import_diary(actor, Path(options["source"]), mapping,
                                  dry_run=options["dry_run"], progress=progress,
                                  batch=max(1, options["batch"]))
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.end()
        self._print(report, options["dry_run"])
        if not report.ok:
            raise CommandError(f"nothing brought in: {report.errors} problem(s)"
                               if not report.brought_in.get("cases") else
                               f"stopped with {report.errors} problem(s)")

    def _actor(self, username: str | None) -> Actor:
        if username is None:
            return DIARY_MIGRATION
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no user {username}")
        return user

    def _print(self, report: Report, dry_run: bool) -> None:
        for issue in report.sorted_issues():
            self.stdout.write(str(issue))
        if report.left_out:
            self.stdout.write(f"... and {report.left_out} more problem(s) not listed")
        self.stdout.write(
            f"read {report.cases} case(s): {report.new_cases} to bring in with "
            f"{report.documents} document(s), {report.parties} part(y/ies) and "
            f"{report.files} file(s) ({report.bytes / 1e6:.1f} MB); "
            f"{report.skipped_cases} brought in before; "
            f"{report.errors} error(s), {report.warnings} warning(s)")
        if report.brought_in:
            done = report.brought_in
            self.stdout.write(f"brought in {done.get('cases', 0)} case(s), "
                              f"{done.get('documents', 0)} document(s), "
                              f"{done.get('parties', 0)} new contact(s), "
                              f"{done.get('files', 0)} file(s)")
        elif dry_run:
            self.stdout.write("dry run: nothing was brought in")
