"""`diarium delegation import|export`: a board's delegation scheme (delegationsordning)
from and to CSV or XLSX (docs/board.md). Import adds a new version of the scheme with the
decision that adopted it; a file with any problem is refused whole, with every problem."""

import datetime as dt
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from diarium.board.delegation_rules import export_scheme
from diarium.board.models import DelegationScheme
from diarium.board.services import delegation
from diarium.organisation.models import Authority, User
from diarium.plan.io.errors import PlanFileError
from diarium.plan.io.reading import read_limited

FORMATS = ("csv", "xlsx")


class Command(BaseCommand):
    help = "Delegation scheme: import a new version from CSV/XLSX, export a version."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="import a new version of the scheme")
        p.add_argument("file")
        p.add_argument("--authority", required=True, help="authority code, e.g. MBN")
        p.add_argument("--user", required=True, help="the board secretary importing it")
        p.add_argument("--adopted-by", required=True, help='e.g. "MBN 2026-01-20 § 4"')
        p.add_argument("--adopted-on", required=True, type=dt.date.fromisoformat)
        p.add_argument("--valid-from", required=True, type=dt.date.fromisoformat)
        p = sub.add_parser("export", help="write a version of the scheme")
        p.add_argument("--authority", required=True)
        p.add_argument("--version", type=int, dest="number", help="default: the latest")
        p.add_argument("--format", choices=FORMATS, default="csv")
        p.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        authority = Authority.objects.filter(code=options["authority"]).first()
        if authority is None:
            raise CommandError(f"no authority {options['authority']}")
        try:
            if options["action"] == "import":
                self._import(authority, options)
            else:
                self._export(authority, options)
        except PlanFileError as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"nothing imported: {len(exc.issues)} problem(s)") from exc
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc

    def _import(self, authority, options) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']}")
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError("use a .csv or .xlsx file")
        with path.open("rb") as stream:
            data = read_limited(stream)
        scheme = delegation.import_scheme(
            user, authority, data, fmt, adopted_by=options["adopted_by"],
            adopted_on=options["adopted_on"], valid_from=options["valid_from"])
        self.stdout.write(f"version {scheme.version}: {scheme.matters.count()} matters")

    def _export(self, authority, options) -> None:
        schemes = DelegationScheme.objects.filter(authority=authority)
        if options["number"]:
            schemes = schemes.filter(version=options["number"])
        scheme = schemes.order_by("-version").first()
        if scheme is None:
            raise CommandError("no such version of the scheme")
        data = export_scheme(scheme, options["format"])
        if options["out"]:
            Path(options["out"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
