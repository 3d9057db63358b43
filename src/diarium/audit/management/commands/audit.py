"""`diarium audit verify|checkpoint|keygen`: check the hash chains and their anchors."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from diarium.audit import checkpoints, signing, timestamping
from diarium.audit.selectors import verify_chains


class Command(BaseCommand):
    help = (
        "Audit log tools. `verify` walks every hash chain and compares it with the signed "
        "checkpoints; `checkpoint` signs and stores the current chain heads; `keygen --out "
        "PATH` writes a new Ed25519 signing key."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "keygen"])
        parser.add_argument("--out", help="keygen: where to write the private key (PEM)")
        parser.add_argument("--trigger", default="manual", choices=["manual", "schedule"],
                            help="checkpoint: why it is taken (recorded in it)")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (ImproperlyConfigured, timestamping.TimestampFailed) as exc:
            raise CommandError(str(exc)) from exc

    def _verify(self, **options) -> None:
        checked = 0
        for _chain, broken in verify_chains():
            if broken is not None:
                raise CommandError(f"audit chain broken at {broken}")
            checked += 1
        anchored, problems = checkpoints.verify_checkpoints()
        if problems:
            raise CommandError("\n".join(str(p) for p in problems))
        self.stdout.write(f"audit log intact: {checked} chain(s) verified")
        if anchored:
            self.stdout.write(f"matches {anchored} signed checkpoint(s)")
        else:
            self.stderr.write("warning: no signed checkpoints; a rewrite of a whole chain "
                              "would not be detected (diarium audit checkpoint)")

    def _checkpoint(self, *, trigger: str, **options) -> None:
        checkpoint = checkpoints.create_checkpoint(trigger=trigger)
        chains = len(checkpoint.body["chains"])
        self.stdout.write(f"checkpoint {checkpoint.name}: {chains} chain head(s) signed "
                          f"with key {checkpoint.body['key_id']}")

    def _keygen(self, *, out: str | None, **options) -> None:
        if not out:
            raise CommandError("keygen needs --out PATH")
        try:
            signing.generate_key(Path(out))
        except FileExistsError as exc:
            raise CommandError(f"{out} exists; a signing key is never overwritten") from exc
        self.stdout.write(f"Ed25519 signing key written to {out} (mode 0600)")
