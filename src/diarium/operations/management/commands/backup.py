"""`diarium backup create --out DIR | restore DIR | verify DIR` (docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diarium.operations.backup import BackupError, create_backup, restore_backup, verify_backup


class Command(BaseCommand):
    help = ("Backups: `create --out DIR` copies the database and every stored file with a "
            "manifest of SHA-256s; `restore DIR` brings a backup back into an empty "
            "installation and verifies every file; `verify DIR` checks a backup's files.")
    requires_system_checks: list = []  # a restore starts from an empty database

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "restore", "verify"])
        parser.add_argument("folder", nargs="?", help="restore, verify: the backup folder")
        parser.add_argument("--out", help="create: a new (or empty) folder for the backup")

    def handle(self, *args, action: str, folder: str | None, out: str | None, **options):
        report = self.stdout.write if options["verbosity"] >= 1 else (lambda _line: None)
        try:
            if action == "create":
                if not out:
                    raise CommandError("create needs --out DIR")
                result = create_backup(Path(out), report)
                for warning in result.warnings:
                    self.stderr.write(f"warning: {warning}")
                self.stdout.write(
                    f"backup complete in {result.path}: {result.total_bytes / 1e6:.1f} MB "
                    f"(database {result.database_bytes / 1e6:.1f} MB, files "
                    f"{result.files_bytes / 1e6:.1f} MB, {result.stored_bytes / 1e6:.1f} MB "
                    f"stored) in {result.seconds:.2f} s ({result.mb_per_second:.1f} MB/s)")
                return
            if not folder:
                raise CommandError(f"{action} needs the backup folder")
            if action == "verify":
                verify_backup(Path(folder), self.stdout.write)
                return
            restored = restore_backup(Path(folder), report)
            self.stdout.write(
                f"restore complete: {restored.files} file(s), "
                f"{(restored.bytes + restored.database_bytes) / 1e6:.1f} MB in "
                f"{restored.seconds:.2f} s ({restored.mb_per_second:.1f} MB/s). "
                "Check it: diarium audit verify; diarium archive verify")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
