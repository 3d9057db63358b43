"""Register a user's signing key from the server (docs/signatures.md):

    diarium signer_key --user anna --by adam --pkcs12 anna.p12          (password from
        DIARIUM_KEY_PASSWORD, or asked for)
    diarium signer_key --user anna --by adam --pkcs11-module /usr/lib/softhsm/libsofthsm2.so \\
        --token Diarium --key anna                                      (PIN from
        DIARIUM_KEY_PIN, or asked for)

`--by` names the administrator who registers it (or the user themself); the service
checks that, seals the secret and writes the audit event. Secrets are never taken as
command-line arguments (they would show in the process list and the shell history)."""

import getpass
import os
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from diarium.organisation.models import User
from diarium.registry.services import signatures


class Command(BaseCommand):
    help = "Register a user's signing key (PKCS#12 file or PKCS#11 token)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", required=True, help="whose key it is")
        parser.add_argument("--by", required=True, help="who registers it (an administrator)")
        parser.add_argument("--pkcs12", type=Path, help="a .p12/.pfx file")
        parser.add_argument("--pkcs11-module", help="the token's PKCS#11 module (.so)")
        parser.add_argument("--token", help="the token's label")
        parser.add_argument("--key", help="the key's (and certificate's) label on the token")

    def handle(self, *args, **options) -> None:
        user, actor = self._user(options["user"]), self._user(options["by"])
        try:
            if options["pkcs12"]:
                key = signatures.register_pkcs12_key(
                    actor, user, options["pkcs12"].read_bytes(),
                    self._secret("DIARIUM_KEY_PASSWORD", "Password: "))
            elif options["pkcs11_module"] and options["token"] and options["key"]:
                key = signatures.register_pkcs11_key(
                    actor, user, options["pkcs11_module"], options["token"], options["key"],
                    self._secret("DIARIUM_KEY_PIN", "PIN: "))
            else:
                raise CommandError("give --pkcs12 FILE, or --pkcs11-module, --token and --key")
        except (ValidationError, PermissionDenied, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{user.username}: {key.subject} ({key.kind}), valid to "
                          f"{key.valid_to:%Y-%m-%d}")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}") from None

    def _secret(self, variable: str, prompt: str) -> str:
        return os.environ.get(variable) or getpass.getpass(prompt)
