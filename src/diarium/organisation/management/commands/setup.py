"""`diarium setup`: a new installation's municipality and its first administrator, and
nothing else (the boards and people follow with `diarium organisation import`).

Asks for what the options do not give when run at a terminal; with --no-input (or no
terminal) every value must come from the options, and the password from the environment
variable DIARIUM_ADMIN_PASSWORD (never an option: options are seen by other users in the
process list). Refuses to run a second time."""

from __future__ import annotations

import getpass
import os
import re
import sys

from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import OPERATOR
from diarium.organisation import services
from diarium.organisation.models import Municipality

PASSWORD_VARIABLE = "DIARIUM_ADMIN_PASSWORD"  # noqa: S105 (the name of a variable)
MUNICIPALITY_CODE = re.compile(r"\d{4}")
ORGANISATION_NUMBER = re.compile(r"\d{6}-\d{4}")

# option -> (prompt, check, what a wrong answer is told)
FIELDS = {
    "municipality_name": ("Municipality name (e.g. Sjöviks kommun)", None, ""),
    "municipality_code": ("Municipality code (kommunkod, 4 digits)", MUNICIPALITY_CODE,
                          "4 digits, e.g. 1480"),
    "org_number": ("Organisation number (e.g. 212000-1234)", ORGANISATION_NUMBER,
                   "six digits, a hyphen, four digits, e.g. 212000-1234"),
    "admin_username": ("Administrator's username", None, ""),
    "admin_email": ("Administrator's e-mail address", None, ""),
    "admin_first_name": ("Administrator's first name", None, ""),
    "admin_last_name": ("Administrator's last name", None, ""),
}
OPTIONAL = {"admin_first_name", "admin_last_name"}


class Command(BaseCommand):
    help = ("Set up a new installation: its municipality and first administrator. Runs "
            "once. The password is read from DIARIUM_ADMIN_PASSWORD or asked for.")

    def add_arguments(self, parser):
        for name in FIELDS:
            parser.add_argument("--" + name.replace("_", "-"), dest=name, default="")
        parser.add_argument("--no-input", "--noinput", action="store_false",
                            dest="interactive", help="ask nothing; fail on what is missing")

    def handle(self, *args, **options):
        existing = Municipality.objects.order_by("name").first()
        if existing is not None:
            raise CommandError(
                f"Diarium is already set up: the municipality {existing.name} "
                f"({existing.code}) exists. Change the organisation with `diarium "
                f"organisation import FILE` or in the staff UI; nothing was changed.")
        interactive = options["interactive"] and sys.stdin.isatty()
        values = {name: (options[name] or "").strip() for name in FIELDS}
        for name, (prompt, pattern, hint) in FIELDS.items():
            value = values[name]
            if value and pattern and not pattern.fullmatch(value):
                raise CommandError(f"--{name.replace('_', '-')}: {hint}")
            while interactive and not value:
                value = input(f"{prompt}: ").strip()
                if not value and name in OPTIONAL:
                    break
                if value and pattern and not pattern.fullmatch(value):
                    self.stderr.write(hint)
                    value = ""
            values[name] = value
        missing = [name for name in FIELDS if not values[name] and name not in OPTIONAL]
        if missing:
            raise CommandError("missing: " + ", ".join(
                "--" + name.replace("_", "-") for name in missing))
        password = self._password(interactive)
        try:
            made = services.set_up(
                OPERATOR, name=values["municipality_name"], code=values["municipality_code"],
                organisation_number=values["org_number"], username=values["admin_username"],
                password=password, email=values["admin_email"],
                first_name=values["admin_first_name"], last_name=values["admin_last_name"])
        except services.AlreadySetUp as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"Set up {made.municipality.name} ({made.municipality.code}) with the "
            f"administrator {made.administrator.username}.\n"
            f"Next: describe the boards, diary series, administrations, units and people in "
            f"an organisation file and run `diarium organisation import FILE` "
            f"(docs/organisation-file.md).")

    def _password(self, interactive: bool) -> str:
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if password:
            return password
        if not interactive:
            raise CommandError(f"give the administrator's password in {PASSWORD_VARIABLE}")
        for text in password_validators_help_texts():
            self.stdout.write(f"  {text}")
        while True:
            first = getpass.getpass("Administrator's password: ")
            if first and first == getpass.getpass("The password again: "):
                return first
            self.stderr.write("The passwords differ or are empty; try again.")
