"""Backups that restore: `create_backup` copies the database (pg_dump or SQLite's online
backup) and every stored file with a manifest of SHA-256s; `restore_backup` brings it back
into an empty installation, verifying every file; `verify_backup` checks a backup where it
lies. The folder's layout is in layout.py, the areas copied in areas.py."""

from .create import BackupResult, create_backup
from .layout import BackupError
from .restore import RestoreResult, restore_backup, verify_backup

__all__ = ["BackupError", "BackupResult", "RestoreResult", "create_backup", "restore_backup",
           "verify_backup"]
