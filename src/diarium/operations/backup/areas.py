"""The places an installation keeps files, as a backup reads and a restore writes them:

- `files`: the file store (document content), a store of core.storage;
- `archive:<name>`: each archive storage location; its AIPs are groups (`aip/<ab>/<id>`),
  read as the published copy and restored by staging, verifying and publishing, like an
  ingest does; other objects there (the copies of audit checkpoints) are single objects;
- `checkpoints`: the audit checkpoint folders (DIARIUM_AUDIT_CHECKPOINT_DIRS), one copy of
  each checkpoint file, restored into every configured folder;
- `uploads`: uploaded packages whose ingest has not finished (their jobs are in the
  database);
- `keys`: the audit signing key (DIARIUM_AUDIT_SIGNING_KEY), so that checkpoints can be
  verified and signed after a restore.

Keys under `.tmp/` (objects being written, readiness probes) are never part of a backup."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from diarium.archive.conf import configured_locations, upload_dir
from diarium.audit.signing import signing_key_path
from diarium.core.storage import Store, store_for
from diarium.core.storage.durable import fsync_dir, iter_tree, write_all
from diarium.documents.store import file_store

from .layout import BackupError

AIP_ROOT = "aip/"
SKIPPED = ".tmp/"
KEY_NAME = "audit-signing-key.pem"


@dataclass(frozen=True)
class Item:
    """A stored file as the backup finds it: its key (relative to `group` when it belongs
    to one), its listed size, and how to read it."""

    key: str
    group: str
    size: int
    open: Callable[[], BinaryIO]


class StoreArea:
    """A store of core.storage: the file store or an archive location."""

    def __init__(self, name: str, store: Store, *, groups: bool) -> None:
        self.name = name
        self.store = store
        self.groups = groups

    def describe(self) -> str:
        return getattr(self.store, "describe", lambda: repr(self.store))()

    def _single(self) -> Iterator[Item]:
        for listed in self.store.list(""):
            if listed.key.startswith(SKIPPED) or (self.groups and
                                                  listed.key.startswith(AIP_ROOT)):
                continue
            yield Item(listed.key, "", listed.size,
                       lambda key=listed.key: self.store.open(key))

    def _grouped(self) -> Iterator[Item]:
        prefixes = {"/".join(listed.key.split("/")[:3])
                    for listed in self.store.list(AIP_ROOT) if listed.key.count("/") >= 3}
        for prefix in sorted(prefixes):
            group = self.store.group(prefix)
            if group is None:  # only what an interrupted ingest left: not a copy
                continue
            for listed in group.list():
                yield Item(listed.key, prefix, listed.size,
                           lambda g=group, key=listed.key: g.open(key))

    def items(self) -> Iterator[Item]:
        yield from self._single()
        if self.groups:
            yield from self._grouped()

    def occupied(self) -> str | None:
        """The first object found (a restore needs the area empty), or None."""
        for listed in self.store.list(""):
            if not listed.key.startswith(SKIPPED):
                return listed.key
        return None


class FolderArea:
    """Plain files in folders. A backup reads every folder (a name found in two is taken
    once); a restore writes each file into every folder, created 0600 and never over an
    existing file."""

    def __init__(self, name: str, folders: list[Path]) -> None:
        self.name = name
        self.folders = folders

    def describe(self) -> str:
        return ", ".join(str(f) for f in self.folders)

    def items(self) -> Iterator[Item]:
        seen: set[str] = set()
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for relative, size in iter_tree(folder):
                if relative in seen:
                    continue
                seen.add(relative)
                yield Item(relative, "", size, lambda p=folder / relative: p.open("rb"))

    def occupied(self) -> str | None:
        for folder in self.folders:
            if folder.is_dir():
                for relative, _size in iter_tree(folder):
                    return str(folder / relative)
        return None

    def write(self, key: str, stream: BinaryIO, on_chunk: Callable[[memoryview], None]) -> None:
        """Write the file into every folder (0600, parents 0700), fsynced."""
        write_files([folder / key for folder in self.folders], stream, on_chunk)


def write_files(targets: list[Path], stream: BinaryIO,
                on_chunk: Callable[[memoryview], None]) -> None:
    """Write one stream into new files (0600; FileExistsError when one exists), fsynced."""
    fds = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fds.append(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        while chunk := stream.read(1 << 20):
            view = memoryview(chunk)
            on_chunk(view)
            for fd in fds:
                write_all(fd, view)
        for fd in fds:
            os.fsync(fd)
    except BaseException:
        for target in targets[:len(fds)]:
            with contextlib.suppress(OSError):
                target.unlink()
        raise
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
    for target in targets:
        fsync_dir(target.parent)


class KeyArea(FolderArea):
    """The audit signing key: one file, restored to the configured key path."""

    def __init__(self, path: Path) -> None:
        super().__init__("keys", [path.parent])
        self.path = path

    def describe(self) -> str:
        return str(self.path)

    def items(self) -> Iterator[Item]:
        if self.path.is_file():
            yield Item(KEY_NAME, "", self.path.stat().st_size, lambda: self.path.open("rb"))

    def occupied(self) -> str | None:
        return str(self.path) if self.path.exists() else None

    def write(self, key: str, stream: BinaryIO, on_chunk: Callable[[memoryview], None]) -> None:
        if key != KEY_NAME:
            raise BackupError(f"unexpected file {key!r} in the backup's keys")
        write_files([self.path], stream, on_chunk)


Area = StoreArea | FolderArea


def areas() -> list[Area]:
    """Every area of the configured installation, in backup order."""
    found: list[Area] = [StoreArea("files", file_store(), groups=False)]
    for location in configured_locations():
        found.append(StoreArea(f"archive:{location.name}",
                               store_for(location.name, location.options), groups=True))
    folders = [Path(d) for d in getattr(settings, "AUDIT_CHECKPOINT_DIRS", []) if d]
    found.append(FolderArea("checkpoints", folders))
    found.append(FolderArea("uploads", [upload_dir()]))
    found.append(KeyArea(signing_key_path()))
    return found
