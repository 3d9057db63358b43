"""`diarium import folder PATH --mapping FILE.csv --user NAME [--dry-run]`: a folder tree
into cases and documents (registry/intake/folders.py, docs/intake.md). The import runs as
a job in the foreground (its progress on stderr, its outcome kept on the job); the dry run
only plans and reports. Every file is listed as imported, would import, or skipped with
its reason. The exit status is 0 when nothing was skipped for an error, 1 otherwise, 2
when the mapping is wrong (then nothing is done)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diarium.core.jobs.services import run_here
from diarium.organisation.models import User
from diarium.registry.intake import folders
from diarium.registry.tasks import IMPORT_FOLDER

# Skips that are not errors: the file is where it should be, or should not be imported.
ROUTINE = ("already imported", "a hidden, temporary or system file")


class Command(BaseCommand):
    help = "Bulk intake: import a folder tree into cases and documents."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        p = sub.add_parser("folder", help="import the files under PATH as documents")
        p.add_argument("path", help="the folder to import (e.g. a mounted network drive)")
        p.add_argument("--mapping", required=True, help="the mapping CSV file")
        p.add_argument("--user", required=True,
                       help="the registrator the documents are registered by")
        p.add_argument("--dry-run", action="store_true",
                       help="show what would be imported and skipped; import nothing")

    def handle(self, *args, **options):
        root = Path(options["path"])
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']}")
        text = Path(options["mapping"]).read_text(encoding="utf-8-sig")
        try:
            rules = folders.read_mapping(user, text)
        except folders.MappingError as exc:
            for problem in exc.problems:
                self.stderr.write(f"mapping: {problem}")
            sys.exit(2)
        if options["dry_run"]:
            report = folders.run(user, root, rules, dry_run=True)
            outcomes = [(o.relative, o.status, o.reason or o.target) for o in report.outcomes]
        else:
            job = run_here(IMPORT_FOLDER, actor=user, callback=self._progress, params={
                "path": str(root.resolve()), "mapping": text})
            outcomes = [tuple(o) for o in job.result["outcomes"]]
            self.stderr.write("")
        for relative, status, detail in sorted(outcomes):
            self.stdout.write(f"{status}\t{relative}\t{detail}")
        counts = {}
        for _relative, status, _detail in outcomes:
            counts[status] = counts.get(status, 0) + 1
        self.stdout.write(", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
                          or "no files")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was imported")
        if any(s == "skipped" and not d.startswith(ROUTINE) for _r, s, d in outcomes):
            sys.exit(1)

    def _progress(self, phase: str, done: int, total: int, seconds: float) -> None:
        self.stderr.write(f"\r{done}/{total} {phase[-60:]:<60}", ending="")
        self.stderr.flush()
