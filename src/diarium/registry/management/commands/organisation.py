"""`diarium organisation import FILE [--dry-run]` and `diarium organisation export --out
FILE`: the organisation file (docs/organisation-file.md) from the command line. Without
--user the command acts as the principal system:operator."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import OPERATOR, Actor
from diarium.organisation.models import User
from diarium.registry.orgfile import files
from diarium.registry.orgfile.exporting import organisation_rows
from diarium.registry.orgfile.importing import UNCHANGED, Report, import_organisation


class Command(BaseCommand):
    help = "The organisation file: import (with --dry-run) and export."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="create or update the organisation from a file")
        p.add_argument("file", help="a .zip or folder of CSV files, an .xlsx or a .yaml file")
        p.add_argument("--dry-run", action="store_true",
                       help="check the file and show what would change; change nothing")
        p.add_argument("--user", help="act as this user (default: system:operator)")
        p = sub.add_parser("export", help="write the organisation to a file")
        p.add_argument("--out", required=True,
                       help="a .zip (CSV files), a folder (ending in /), .xlsx or .yaml")
        p.add_argument("--format", choices=files.FORMATS,
                       help="default: from --out's name")

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"])(options)

    def _actor(self, username: str | None) -> Actor:
        if username is None:
            return OPERATOR
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username}")
        return user

    def _import(self, options) -> None:
        path = Path(options["file"])
        actor = self._actor(options["user"])
        try:
            book = files.read_path(path)
            source = {"file": path.name}
            if path.is_file():
                source["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
            report = import_organisation(actor, book, dry_run=options["dry_run"],
                                         source=source)
        except files.OrganisationFileError as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"nothing imported: {len(exc.issues)} problem(s)") from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self._print(report, verbose=options["verbosity"] > 1)

    def _print(self, report: Report, verbose: bool) -> None:
        for change in report.changes:
            if change.status == UNCHANGED and not verbose:
                continue
            line = f"{change.status}\t{change.sheet}\t{change.key}"
            for column, before, after in change.fields:
                line += f"\t{column}: {before!r} -> {after!r}"
            self.stdout.write(line)
        for sheet, counts in report.counts():
            summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
            self.stdout.write(f"{sheet}: {summary}")
        if report.dry_run:
            self.stdout.write("dry run: nothing was changed")

    def _export(self, options) -> None:
        out = Path(options["out"])
        fmt = options["format"] or files.format_of(options["out"])
        if fmt is None:
            raise CommandError("say the format: --out with .zip, .xlsx, .yaml or a folder "
                               "ending in /, or --format")
        rows = organisation_rows()
        if fmt == "csv" and (out.is_dir() or options["out"].endswith(("/", os.sep))):
            files.to_folder(rows, out)
        else:
            _write_whole(out, files.render(rows, fmt))
        if str(out) != "-":
            self.stderr.write(f"wrote {out}")


def _write_whole(path: Path, data: bytes) -> None:
    """Write the file under a temporary name and rename it, so a reader never sees half."""
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
