from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import OPERATOR
from diarium.organisation.models import User
from diarium.organisation.services import api_token


class Command(BaseCommand):
    help = "Print the API token of a user, creating one if the user has none."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"no user named {options['username']!r}") from exc
        if not user.is_active:
            self.stderr.write(f"warning: {user.username} is inactive; the token will be refused")
        self.stdout.write(api_token(OPERATOR, user))
