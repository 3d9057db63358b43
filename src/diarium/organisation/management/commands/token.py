"""`diarium token USER`: make a new API token for a user and print it, once."""

from django.core.management.base import BaseCommand, CommandError

from diarium.core.actors import OPERATOR
from diarium.organisation.models import User
from diarium.organisation.services import create_api_token


class Command(BaseCommand):
    help = ("Make a new API token for a user and print it. The key is shown only now; "
            "Diarium keeps only its digest. List and revoke tokens in the staff UI or the API.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label, e.g. the integration's name")
        parser.add_argument("--days", type=int, default=None,
                            help="days until it expires (default DIARIUM_API_TOKEN_DAYS)")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"no user named {options['username']!r}") from exc
        if not user.is_active:
            self.stderr.write(f"warning: {user.username} is inactive; the token will be refused")
        name = options["name"] or "diarium token"
        self.stdout.write(create_api_token(OPERATOR, user, name=name, days=options["days"]).key)
