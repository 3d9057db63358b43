"""The database part of a backup: a consistent copy made by the engine's own tool, and what
that copy names (the stored files and archive copies it refers to, the migrations applied),
read from the very same snapshot, so that the backup can prove it holds every file the
database needs.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; `pg_dump --snapshot` dumps
exactly that state in the custom format while the same transaction reads the references.
SQLite: the online backup API copies the database (consistent even while others write; WAL
lets them go on), and the references are read from the copy.

Restoring needs an empty database: `pg_restore --single-transaction` into a database without
tables, or SQLite's backup API into a file without tables."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from diarium.archive.models import CopyState, StorageCopy, StorageLocation
from diarium.documents.models import StoredFile

from .layout import BackupError

# Copies the database says are in place: each must be found in its location's area.
PRESENT_COPY_STATES = (CopyState.WRITTEN, CopyState.VERIFIED, CopyState.REPAIRED)


@dataclass
class Snapshot:
    """What the dumped database refers to."""

    engine: str
    files: set[str] = field(default_factory=set)  # SHA-256 of every file with content
    copies: set[tuple[str, str]] = field(default_factory=set)  # (location name, package id)
    migrations: set[tuple[str, str]] = field(default_factory=set)


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _read(cursor, snapshot: Snapshot) -> None:
    files = StoredFile._meta.db_table
    copies, locations = StorageCopy._meta.db_table, StorageLocation._meta.db_table
    # A file whose content lawful disposal removed keeps its row, not its bytes.
    cursor.execute(f"SELECT sha256 FROM {files} "  # noqa: S608 (model table names)
                   "WHERE content_removed_at IS NULL")
    snapshot.files = {row[0] for row in cursor.fetchall()}
    states = ", ".join(f"'{state}'" for state in PRESENT_COPY_STATES)
    cursor.execute(f"SELECT l.name, c.package_id FROM {copies} c "  # noqa: S608
                   f"JOIN {locations} l ON l.id = c.location_id WHERE c.state IN ({states})")
    snapshot.copies = {(name, str(uuid.UUID(str(pk)))) for name, pk in cursor.fetchall()}
    cursor.execute("SELECT app, name FROM django_migrations")
    snapshot.migrations = {(app, name) for app, name in cursor.fetchall()}


# -- PostgreSQL -------------------------------------------------------------------------------

def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database (the password never on a command line)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")),
                            ("PGUSER", db.get("USER")), ("PGPASSWORD", db.get("PASSWORD")),
                            ("PGDATABASE", db.get("NAME"))):
        if value:
            env[variable] = str(value)
    options = db.get("OPTIONS", {})
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                             ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY")):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools "
                          f"(Debian: postgresql-client) of the server's major version")
    return found


def _run(command: list[str]) -> None:
    # The argv is built here from the configured database, never from user text.
    result = subprocess.run(command, env=_pg_environment(),  # noqa: S603
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _dump_postgresql(out: Path) -> Snapshot:
    snapshot = Snapshot("postgresql")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (exported,) = cursor.fetchone()
        _run([_tool("pg_dump"), "--format=custom", f"--snapshot={exported}",
              f"--file={out}"])
        _read(cursor, snapshot)
    return snapshot


def _restore_postgresql(dump: Path) -> None:
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", f"--dbname={connection.settings_dict['NAME']}", str(dump)])


# -- SQLite -------------------------------------------------------------------------------------

def _sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def _dump_sqlite(out: Path) -> Snapshot:
    snapshot = Snapshot("sqlite")
    source = sqlite3.connect(_sqlite_path())
    target = sqlite3.connect(out)
    try:
        source.backup(target)
        # One self-contained file: no -wal beside it in the backup folder.
        target.execute("PRAGMA journal_mode=DELETE")
        _read(target.cursor(), snapshot)
    finally:
        target.close()
        source.close()
    return snapshot


def _restore_sqlite(dump: Path) -> None:
    connection.close()
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path())
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


# -- either -------------------------------------------------------------------------------------

def dump(out: Path) -> Snapshot:
    """Write the database's consistent copy to `out`; returns what it refers to."""
    return _dump_postgresql(out) if engine() == "postgresql" else _dump_sqlite(out)


def restore(dump_file: Path) -> None:
    if engine() == "postgresql":
        _restore_postgresql(dump_file)
    else:
        _restore_sqlite(dump_file)
    connection.close()  # the next query sees the restored database


def tables() -> list[str]:
    """The tables of the configured database (empty: a database a backup may go into)."""
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)

