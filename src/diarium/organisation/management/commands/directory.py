"""`diarium directory sync [--dry-run] [--force] [--user NAME]`: bring users in line with
the LDAP/Active Directory directory (organisation/directory.py, docs/sign-in.md). Without
--user the sync acts as the principal system:directory."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import DIRECTORY
from diarium.organisation import directory
from diarium.organisation.models import User


class Command(BaseCommand):
    help = "The directory: sync users from LDAP or Active Directory."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("sync", help="create, update and deactivate users from the directory")
        p.add_argument("--dry-run", action="store_true",
                       help="read the directory and show what would change; change nothing")
        p.add_argument("--force", action="store_true",
                       help="deactivate even more users than DIARIUM_LDAP_MAX_DEACTIVATE_SHARE")
        p.add_argument("--user", help="act as this user (default: system:directory)")

    def handle(self, *args, **options):
        actor = DIRECTORY
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"no user {options['user']}")
        try:
            report = directory.sync(actor, dry_run=options["dry_run"], force=options["force"])
        except (directory.DirectoryError, ImproperlyConfigured, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        verbose = options["verbosity"] > 1
        for line in report.lines():
            if verbose or not line.startswith(directory.SKIP):
                self.stdout.write(line)
        for problem in report.problems:
            self.stderr.write(f"problem: {problem}")
        counts = report.counts()
        self.stdout.write(f"{report.entries} in the directory: " + ", ".join(
            f"{n} {action}" for action, n in counts.items()))
        if report.dry_run:
            self.stdout.write("dry run: nothing was changed")
