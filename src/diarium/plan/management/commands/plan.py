"""`diarium plan import|export|adopt|load-sample`: the document management plan from the
command line. Without --authority a command works on the municipality's base plan."""

import datetime as dt
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import OPERATOR, Actor
from diarium.organisation.models import Authority, Municipality, User
from diarium.plan import sample, selectors, services
from diarium.plan.io.errors import PlanFileError
from diarium.plan.io.reading import FORMATS, format_from_name, read_limited
from diarium.plan.models import Plan


class Command(BaseCommand):
    help = "Document management plan: import, export, adopt, load-sample."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        common = {"municipality": "municipality code (default: the only municipality)",
                  "authority": "authority code (default: the municipality's base plan)",
                  "user": "act as this user (default: the principal system:operator)"}

        def add(name: str, text: str):
            p = sub.add_parser(name, help=text)
            for option, help_text in common.items():
                p.add_argument(f"--{option}", help=help_text)
            return p

        p = add("import", "import a CSV, XLSX or JSON file into the plan's draft version")
        p.add_argument("file")
        p.add_argument("--format", choices=FORMATS, help="default: from the file name")
        p.add_argument("--base-version", type=int, help="base plan version to build on")
        p = add("export", "write a plan version as CSV, XLSX or JSON")
        p.add_argument("--format", choices=FORMATS, default="csv")
        p.add_argument("--out", help="file to write (default: standard output)")
        p.add_argument("--version", type=int, dest="number",
                       help="version number (default: the latest adopted, else the draft)")
        p = add("adopt", "adopt the plan's draft version")
        p.add_argument("--decision-date", required=True, type=dt.date.fromisoformat)
        p.add_argument("--decision-reference", required=True, help='e.g. "KS 2026-03-14 § 45"')
        p.add_argument("--valid-from", type=dt.date.fromisoformat)
        add("load-sample", "load the sample plan and systems register")

    def handle(self, *args, **options):
        municipality = self._municipality(options["municipality"])
        actor = self._actor(options["user"])
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(municipality, actor, options)
        except PlanFileError as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"nothing imported: {len(exc.issues)} problem(s)") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

    def _municipality(self, code: str | None) -> Municipality:
        if code:
            found = Municipality.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"no municipality with code {code}")
            return found
        all_of_them = list(Municipality.objects.all()[:2])
        if len(all_of_them) != 1:
            raise CommandError("give --municipality (there is not exactly one municipality)")
        return all_of_them[0]

    def _actor(self, username: str | None) -> Actor:
        if username is None:
            return OPERATOR
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username}")
        return user

    def _plan(self, municipality: Municipality, code: str | None, create: bool,
              actor: Actor) -> Plan:
        authority = None
        if code:
            authority = Authority.objects.filter(municipality=municipality, code=code).first()
            if authority is None:
                raise CommandError(f"no authority {code} in {municipality}")
        plan = Plan.objects.filter(municipality=municipality, authority=authority).first()
        if plan is None and create:
            plan = services.create_plan(actor, municipality, authority)
        if plan is None:
            raise CommandError("the plan does not exist yet")
        return plan

    def _import(self, municipality, actor, options) -> None:
        path = Path(options["file"])
        fmt = options["format"] or format_from_name(path.name)
        if fmt is None:
            raise CommandError("give --format: the file name does not say csv, xlsx or json")
        plan = self._plan(municipality, options["authority"], True, actor)
        base = None
        if options["base_version"] is not None:
            base_plan = selectors.base_plan(municipality.pk)
            base = base_plan.versions.filter(number=options["base_version"]).first() \
                if base_plan else None
            if base is None:
                raise CommandError("no such base plan version")
        with path.open("rb") as stream:
            data = read_limited(stream)
        result = services.import_plan(actor, plan, data, fmt, base=base)
        self.stdout.write(f"imported into {result.version}: {result.processes} processes, "
                          f"{result.record_types} record types (draft)")

    def _export(self, municipality, actor, options) -> None:
        plan = self._plan(municipality, options["authority"], False, actor)
        if options["number"] is not None:
            version = plan.versions.filter(number=options["number"]).first()
        else:
            version = selectors.latest_adopted(plan) or selectors.draft_of(plan)
        if version is None:
            raise CommandError("the plan has no such version")
        data = selectors.export_version(actor, version, options["format"])
        if options["out"]:
            Path(options["out"]).write_bytes(data)
            self.stderr.write(f"wrote {version} to {options['out']}")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()

    def _adopt(self, municipality, actor, options) -> None:
        plan = self._plan(municipality, options["authority"], False, actor)
        draft = selectors.draft_of(plan)
        if draft is None:
            raise CommandError("the plan has no draft version")
        version = services.adopt_version(
            actor, draft, decision_date=options["decision_date"],
            decision_reference=options["decision_reference"], valid_from=options["valid_from"],
        )
        self.stdout.write(f"adopted {version}, valid from {version.valid_from}")

    def _load_sample(self, municipality, actor, options) -> None:
        result = sample.load_sample_plan(actor, municipality)
        if result is None:
            self.stdout.write("the municipality already has a base plan; nothing loaded")
            return
        self.stdout.write(
            f"sample plan loaded: {result.record_types} record types, adopted by "
            f"{result.authority_versions} authorities; {result.systems} systems, "
            f"{result.templates} checklist templates"
        )
