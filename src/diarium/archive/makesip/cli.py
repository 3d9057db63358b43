"""`diarium archive make-sip SOURCE --metadata FILE --out DIR [--zip] [--replace]
[--lang sv|en]`.

Exit code 0 with the package's path on standard output (warnings, such as a file name with
invisible characters that can disguise it, on standard error); 1 with every problem (row and
column) on standard error and nothing written. Messages are in the language chosen with
--lang (Swedish by default)."""

from __future__ import annotations

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from diarium.archive.erms.schema import ErmsInvalid

from .build import make_sip
from .reading import Issue, MetadataError
from .scan import SourceChanged


def add_parser(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "make-sip", help="Build an E-ARK SIP from a folder of files and a CSV or JSON "
        "metadata file (see docs/make-sip.md).")
    parser.add_argument("source", help="The folder with the files to deliver.")
    parser.add_argument("--metadata", required=True, help="The metadata file (.csv or .json).")
    parser.add_argument("--out", required=True,
                        help="Folder to write the package into (as <id>/ or <id>.zip).")
    parser.add_argument("--zip", action="store_true", help="Write a .zip file.")
    parser.add_argument("--replace", action="store_true",
                        help="Replace a package with the same id that is already there.")
    parser.add_argument("--lang", choices=["sv", "en"], default="sv",
                        help="Language of the messages (default sv).")


def run(command: BaseCommand, **options) -> None:
    with translation.override(options.get("lang") or "sv"):
        _run(command, **options)


def _run(command: BaseCommand, **options) -> None:
    def warn(issue: Issue) -> None:
        command.stderr.write(_("warning: %(issue)s") % {"issue": issue})

    nothing = _("nothing written")
    try:
        path = make_sip(Path(options["source"]), Path(options["metadata"]),
                        Path(options["out"]), as_zip=options.get("zip", False),
                        replace=options.get("replace", False), warn=warn)
    except MetadataError as exc:
        for issue in exc.issues:
            command.stderr.write(str(issue))
        raise CommandError(_("%(nothing)s: %(n)s problem(s)")
                           % {"nothing": nothing, "n": len(exc.issues)}, returncode=1) from exc
    except (ErmsInvalid, FileExistsError, FileNotFoundError, SourceChanged) as exc:
        raise CommandError(f"{nothing}: {exc}", returncode=1) from exc
    command.stdout.write(str(path))
