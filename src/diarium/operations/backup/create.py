"""`diarium backup create --out DIR`: a backup that restores.

Order, and why it is consistent: the database is copied first (one snapshot); then every
area's files are read and copied by content. Stored files are written before the rows that
name them and never changed afterwards, so every file the snapshot names is already stored
when the areas are read. The one thing that removes files, a disposal run, is refused while
the backup starts, and the backup then proves it holds every file and archive copy the
snapshot names: a backup that lacks one fails and is left marked incomplete.

Each file is read once, hashed while it is copied (so the backup also reads every stored copy
back, like a fixity audit), and kept once per content under objects/. The manifest is written
last; a backup without `"complete": true` in it is refused by restore."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from diarium.archive.storage.aips import AipStore
from diarium.core.jobs.models import Job, JobState
from diarium.core.storage.durable import sync_filesystem, write_all
from diarium.core.storage.streams import chunks

from . import database
from .areas import Area, Item, StoreArea, areas
from .layout import DUMPS, FILES, FORMAT, MANIFEST, OBJECTS, BackupError, Entry, object_path

Report = Callable[[str], None]


@dataclass
class AreaTotals:
    files: int = 0
    bytes: int = 0


@dataclass
class BackupResult:
    path: Path
    database_bytes: int = 0
    files_bytes: int = 0  # bytes read from the stores
    stored_bytes: int = 0  # bytes written to objects/ (each content once)
    seconds: float = 0.0
    database_seconds: float = 0.0
    areas: dict[str, AreaTotals] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return self.database_bytes + self.files_bytes

    @property
    def mb_per_second(self) -> float:
        return self.total_bytes / 1e6 / self.seconds if self.seconds else 0.0


def _prepare(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} exists and is not an empty folder: a backup goes into a "
                          "new folder")
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    (out / OBJECTS).mkdir(mode=0o700)


def _refuse_during_disposal() -> None:
    running = Job.objects.filter(kind="archive.dispose", state=JobState.RUNNING).count()
    if running:
        raise BackupError("a disposal run is executing (it deletes stored files); start the "
                          "backup when it has finished")


def _copy(out: Path, item: Item, made: set[str]) -> tuple[int, str, int]:
    """Copy one stored file into objects/ by its SHA-256: (size, sha256, bytes written)."""
    tmp = out / OBJECTS / f".tmp-{secrets.token_hex(8)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
    digest = hashlib.sha256()
    size = 0
    try:
        with item.open() as stream:
            for chunk in chunks(stream):
                digest.update(chunk)
                write_all(fd, chunk)
                size += len(chunk)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    sha256 = digest.hexdigest()
    target = object_path(out, sha256)
    if sha256 in made or target.exists():
        os.unlink(tmp)
        return size, sha256, 0
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.rename(tmp, target)
    made.add(sha256)
    return size, sha256, size


def _check_complete(snapshot: database.Snapshot, found: dict[str, set[str]]) -> list[str]:
    """What the database names that the backup did not find."""
    missing = [f"file {sha}" for sha in sorted(snapshot.files)
               if f"sha256/{sha[:2]}/{sha[2:4]}/{sha}" not in found.get("files", set())]
    for location, package in sorted(snapshot.copies):
        if AipStore.prefix(package) not in found.get(f"archive:{location}", set()):
            missing.append(f"package {package} in archive location {location}")
    return missing


def _area_files(out: Path, area: Area, result: BackupResult, entries, made: set[str],
                found: dict[str, set[str]], report: Report) -> None:
    totals = result.areas.setdefault(area.name, AreaTotals())
    keys = found.setdefault(area.name, set())
    for item in area.items():
        if item.size < 0:
            raise BackupError(f"{area.name}: {item.key} is not a regular file (a link?)")
        size, sha256, written = _copy(out, item, made)
        entry = Entry(area.name, item.key, size, sha256, item.group)
        entries.write(entry.line())
        keys.add(item.group or item.key)
        if (area.name == "files" and isinstance(area, StoreArea)
                and item.key.rsplit("/", 1)[-1] != sha256):
            result.warnings.append(f"files: {item.key} does not match its name (damaged in "
                                   "the file store; backed up as it is)")
        totals.files += 1
        totals.bytes += size
        result.files_bytes += size
        result.stored_bytes += written
    report(f"{area.name}: {totals.files} file(s), {totals.bytes / 1e6:.1f} MB "
           f"({area.describe()})")


def create_backup(out: Path, report: Report = lambda _line: None) -> BackupResult:
    out = out.expanduser().resolve()
    started = time.monotonic()
    engine = database.engine()
    _refuse_during_disposal()
    _prepare(out)
    result = BackupResult(out)
    dump_file = out / DUMPS[engine]
    os.close(os.open(dump_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private
    snapshot = database.dump(dump_file)
    result.database_bytes = dump_file.stat().st_size
    result.database_seconds = time.monotonic() - started
    report(f"database ({engine}): {result.database_bytes / 1e6:.1f} MB in "
           f"{result.database_seconds:.1f} s")
    made: set[str] = set()
    found: dict[str, set[str]] = {}
    configured = areas()
    fd = os.open(out / FILES, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as entries:
        for area in configured:
            _area_files(out, area, result, entries, made, found, report)
    if missing := _check_complete(snapshot, found):
        shown = "; ".join(missing[:10]) + (f" and {len(missing) - 10} more"
                                           if len(missing) > 10 else "")
        raise BackupError(f"the backup in {out} is incomplete: the database names what the "
                          f"stores do not hold: {shown}")
    sync_filesystem(out)
    result.seconds = time.monotonic() - started
    _write_manifest(out, engine, snapshot, configured, result)
    return result


def _write_manifest(out: Path, engine: str, snapshot: database.Snapshot, configured,
                    result: BackupResult) -> None:
    from .layout import sha256_of

    manifest = {
        "format": FORMAT,
        "complete": True,
        "created_at": timezone.now().isoformat(),
        "diarium_version": importlib.metadata.version("diarium"),
        "database": {"engine": engine, "file": DUMPS[engine],
                     "size": result.database_bytes,
                     "sha256": sha256_of(out / DUMPS[engine])},
        "migrations": sorted(f"{app}.{name}" for app, name in snapshot.migrations),
        "files": {"file": FILES, "sha256": sha256_of(out / FILES)},
        "areas": {area.name: {"from": area.describe(),
                              "files": result.areas[area.name].files,
                              "bytes": result.areas[area.name].bytes}
                  for area in configured},
        "bytes": {"read": result.files_bytes, "stored": result.stored_bytes},
        "warnings": result.warnings,
    }
    tmp = out / f".{MANIFEST}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(manifest, stream, indent=2, ensure_ascii=False)
        stream.flush()
        os.fsync(stream.fileno())
    os.rename(tmp, out / MANIFEST)
    sync_filesystem(out)
