"""`diarium backup restore DIR`: bring a backup back into an empty installation.

Everything is checked before anything is written: the manifest is complete, the file list
and the database dump match their SHA-256, this Diarium knows every migration the backup
has applied, every archive location the backup holds is configured here (by name), and the
installation is empty (a database without tables, stores and folders without files). Then
each file is streamed from the backup into its area while it is hashed; a file whose hash
differs from the manifest's is refused before it is published. Stored files are then read
back from the store and compared again (AIPs are staged, flushed, verified and published
as an ingest does). The database comes last, then `migrate` brings it to this version.

A restore that fails part-way leaves a partial installation: empty it again (a new
database, empty stores) and restore once more."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

from diarium.core.storage import Staging
from diarium.core.storage.streams import pump

from . import database
from .areas import Area, StoreArea, areas
from .layout import FILES, BackupError, Entry, object_path, read_manifest, sha256_of

Report = Callable[[str], None]


class VerifyingReader:
    """A backup object's stream that fails at its end, before the writer completes the
    object, when the bytes read do not match the manifest's size and SHA-256."""

    def __init__(self, path: Path, entry: Entry) -> None:
        self.entry = entry
        self.digest = hashlib.sha256()
        self.size = 0
        try:
            self.stream = path.open("rb")
        except FileNotFoundError as exc:
            raise BackupError(f"{entry.area}: {entry.key}: its content {entry.sha256} is "
                              "missing from the backup") from exc

    def _check(self) -> None:
        if self.size != self.entry.size or self.digest.hexdigest() != self.entry.sha256:
            raise BackupError(f"{self.entry.area}: {self.entry.key}: the backup's copy does "
                              f"not match its SHA-256 (damaged backup)")

    def readinto(self, buffer) -> int:
        n = self.stream.readinto(buffer)
        if n:
            self.digest.update(memoryview(buffer)[:n])
            self.size += n
        else:
            self._check()
        return n

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if data:
            self.digest.update(data)
            self.size += len(data)
        else:
            self._check()
        return data

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> VerifyingReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class RestoreResult:
    files: int = 0
    bytes: int = 0
    database_bytes: int = 0
    seconds: float = 0.0

    @property
    def mb_per_second(self) -> float:
        total = self.bytes + self.database_bytes
        return total / 1e6 / self.seconds if self.seconds else 0.0


def _entries(source: Path) -> Iterator[Entry]:
    with (source / FILES).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield Entry.parse(line)


def _check_backup(source: Path, manifest: dict) -> Path:
    dump = source / manifest["database"]["file"]
    if not dump.is_file() or sha256_of(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump}: the database dump is missing or does not match its "
                          "SHA-256")
    if sha256_of(source / FILES) != manifest["files"]["sha256"]:
        raise BackupError(f"{source / FILES} does not match its SHA-256 (damaged backup)")
    engine = database.engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['database']['engine']} database; "
                          f"this installation uses {engine}")
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    if unknown := sorted(set(manifest["migrations"]) - known):
        raise BackupError("the backup was made by a newer Diarium (migrations unknown here: "
                          f"{', '.join(unknown[:5])}); install that version or newer first")
    return dump


def _check_target(manifest: dict) -> dict[str, Area]:
    targets = {area.name: area for area in areas()}
    needed = [name for name, totals in manifest["areas"].items() if totals["files"]]
    if absent := [name for name in needed if name not in targets]:
        raise BackupError(f"the backup holds {', '.join(absent)}, which this installation "
                          "does not configure (name the archive locations as in the backup: "
                          "DIARIUM_ARCHIVE_LOCATIONS)")
    occupied = []
    if tables := database.tables():
        occupied.append(f"the database has {len(tables)} table(s)")
    for area in targets.values():
        if (found := area.occupied()) is not None:
            occupied.append(f"{area.name} holds {found}")
    if occupied:
        raise BackupError("restore needs an empty installation, and this one is not: "
                          + "; ".join(occupied)
                          + ". Restore into a new database with empty storage locations.")
    return targets


def _read_back(written_sha: str, entry: Entry, where: str) -> None:
    if written_sha != entry.sha256:
        raise BackupError(f"{entry.area}: {entry.key}: read back from {where}, it does not "
                          "match its SHA-256")


class _Writer:
    """Writes entries in file-list order; an AIP's files (consecutive, one group) are staged
    and published together."""

    def __init__(self, source: Path, targets: dict[str, Area], result: RestoreResult) -> None:
        self.source = source
        self.targets = targets
        self.result = result
        self.staging: Staging | None = None
        self.staged: list[Entry] = []
        self.store_area: StoreArea | None = None

    def _publish(self) -> None:
        if self.staging is None or self.store_area is None:
            return
        staging, self.staging = self.staging, None
        try:
            self.store_area.store.flush()
            for entry in self.staged:
                _read_back(staging.verify(entry.key).sha256, entry, self.store_area.name)
            staging.commit()
        except BaseException:
            staging.discard()
            raise
        self.staged = []

    def write(self, entry: Entry) -> None:
        area = self.targets[entry.area]
        key = (entry.area, entry.group)
        if self.staging is not None and key != (self.store_area.name, self.staging.prefix):
            self._publish()
        with VerifyingReader(object_path(self.source, entry.sha256), entry) as reader:
            if isinstance(area, StoreArea):
                self._store(area, entry, reader)
            else:
                area.write(entry.key, reader, lambda _chunk: None)  # type: ignore[arg-type]
        self.result.files += 1
        self.result.bytes += entry.size

    def _store(self, area: StoreArea, entry: Entry, reader: VerifyingReader) -> None:
        if entry.group:
            if self.staging is None:
                self.store_area = area
                self.staging = area.store.stage(entry.group)
            pump(reader, [self.staging.sink(entry.key)])  # type: ignore[arg-type]
            self.staged.append(entry)
            return
        area.store.write(entry.key, reader)  # type: ignore[arg-type]
        _read_back(area.store.verify(entry.key).sha256, entry, area.name)

    def finish(self) -> None:
        self._publish()

    def abandon(self) -> None:
        if self.staging is not None:
            self.staging.discard()


def restore_backup(source: Path, report: Report = lambda _line: None) -> RestoreResult:
    source = source.expanduser().resolve()
    started = time.monotonic()
    manifest = read_manifest(source)
    dump = _check_backup(source, manifest)
    targets = _check_target(manifest)
    result = RestoreResult(database_bytes=dump.stat().st_size)
    writer = _Writer(source, targets, result)
    try:
        for entry in _entries(source):
            writer.write(entry)
        writer.finish()
    except BaseException:
        writer.abandon()
        raise
    report(f"files: {result.files} restored and verified, {result.bytes / 1e6:.1f} MB")
    database.restore(dump)
    report(f"database ({manifest['database']['engine']}): {result.database_bytes / 1e6:.1f} "
           "MB restored")
    call_command("migrate", verbosity=0, interactive=False)
    result.seconds = time.monotonic() - started
    return result


def verify_backup(source: Path, report: Report = lambda _line: None) -> RestoreResult:
    """Check a backup without restoring it (e.g. a copy taken off-site): the manifest, the
    dump, the file list and every object against its SHA-256."""
    source = source.expanduser().resolve()
    started = time.monotonic()
    manifest = read_manifest(source)
    dump = _check_backup(source, manifest)
    result = RestoreResult(database_bytes=dump.stat().st_size)
    checked: set[str] = set()
    for entry in _entries(source):
        if entry.sha256 not in checked:
            with VerifyingReader(object_path(source, entry.sha256), entry) as reader:
                while reader.read(1 << 20):
                    pass
            checked.add(entry.sha256)
            result.bytes += entry.size
        result.files += 1
    result.seconds = time.monotonic() - started
    report(f"backup intact: {result.files} file(s), {len(checked)} distinct, "
           f"{result.bytes / 1e6:.1f} MB and the database dump verified")
    return result
