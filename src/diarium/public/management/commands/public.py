"""`diarium public …`: the public diary's projection and its database role.

  diarium public rebuild             rebuild the whole projection (idempotent; also the
                                     repair after a restore or a bulk load)
  diarium public role NAME [--password P] [--print]
                                     create the read-only PostgreSQL role (docs/public.md)
  diarium public publishable RECORD_TYPE_ID on|off [--user U]
                                     publish (or stop publishing) a record type's files"""

from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import OPERATOR


class Command(BaseCommand):
    help = "The public diary: rebuild its projection, create its database role."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="Rebuild the public projection (idempotent).")
        role = sub.add_parser("role", help="Create the read-only role of the public site.")
        role.add_argument("name")
        role.add_argument("--password")
        role.add_argument("--print", action="store_true", help="Print the SQL only.")
        pub = sub.add_parser("publishable", help="Publish a record type's files or not.")
        pub.add_argument("record_type")
        pub.add_argument("state", choices=["on", "off"])
        pub.add_argument("--user", help="Act as this user (default: system:operator).")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _rebuild(self, **options):
        from diarium.public import projector, registers

        # One transaction per batch of cases: a registration waits for at most one batch.
        count = projector.rebuild()
        kept = registers.refresh()
        self.stdout.write(f"Public projection rebuilt: {count} cases, {kept} registers.")

    def _role(self, *, name, password, **options):
        from diarium.public import readonly_role

        if options["print"]:
            self.stdout.write(";\n".join(readonly_role.statements(name, password)) + ";")
            return
        try:
            readonly_role.apply(name, password)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Role {name} may read the public projection only.")

    def _publishable(self, *, record_type, state, user, **options):
        from diarium.organisation.models import User
        from diarium.plan.models import RecordType
        from diarium.plan.services import set_publishable

        try:
            found = RecordType.objects.get(pk=record_type)
        except (RecordType.DoesNotExist, ValueError, Exception) as exc:
            raise CommandError(f"No record type {record_type}.") from exc
        actor = User.objects.get(username=user) if user else OPERATOR
        set_publishable(actor, found, state == "on")
        self.stdout.write(f"Record type {record_type}: publishable {state}.")
