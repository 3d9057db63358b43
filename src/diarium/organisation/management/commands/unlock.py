"""`diarium unlock --username NAME | --address IP`: lift a login lockout."""

from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import OPERATOR
from diarium.organisation.lockout import current_locks
from diarium.organisation.services import unlock_login


class Command(BaseCommand):
    help = "List login lockouts, or lift one for a username or a client address."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args, **options):
        username, address = options["username"], options["address"]
        if not username and not address:
            for lock in current_locks():
                self.stdout.write(f"{lock.kind}\t{lock.value}\t{lock.failures}\t"
                                  f"{lock.until:%Y-%m-%d %H:%M}")
            return
        if username and address:
            raise CommandError("give --username or --address, not both")
        cleared = unlock_login(OPERATOR, username=username, address=address)
        self.stdout.write(f"cleared {cleared} failed login(s)")
