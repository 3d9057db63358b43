"""The local file system as a store: objects are files under the store's root, named by
their key, written once and born read-only (0444).

    <root>/<key>                       objects, and published groups (one folder each)
    <root>/.tmp/                       single objects being written
    <root>/.staging/<name>.<pid>.<r>/  a group being written, renamed into place when verified
    <root>/.damaged/<name>.<time>/     a group set aside (kept as evidence)

A single object is written to .tmp, fsynced and linked into place (link(2) fails when the
key exists, so nothing is ever replaced), then its folder is fsynced. A group's files are
written without a per-file fsync; `flush` is one syncfs(2) for the whole file system (ten
thousand fsyncs would dominate a package of small files), and `verify` reads with the pages
dropped from the page cache first, so it compares what the disk holds. Staging is inside the
root so that publishing is one atomic rename on one file system: a crash leaves either no
folder under the group's prefix or a complete one."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.utils import timezone

from .base import (
    AlreadyStored,
    Group,
    Listed,
    NotStored,
    Staging,
    Store,
    Written,
    check_key,
    deleting,
)
from .durable import (
    fsync_dir,
    hash_file,
    iter_tree,
    make_tree_read_only,
    remove_tree,
    sync_filesystem,
    write_all,
)
from .streams import Throttle

_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
INTERNAL = (".tmp", ".staging", ".damaged")


def _open_regular(path: Path, key: str) -> BinaryIO:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError as exc:
        raise NotStored(key) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link where an object should be
            raise NotStored(key) from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotStored(key)
    return open(fd, "rb")


def _regular_size(path: Path, key: str) -> int:
    try:
        info = os.lstat(path)
    except FileNotFoundError as exc:
        raise NotStored(key) from exc
    if not stat.S_ISREG(info.st_mode):
        raise NotStored(key)
    return info.st_size


def _hash(path: Path, key: str, throttle: Throttle | None) -> Written:
    try:
        size, digest = hash_file(path, throttle)
    except FileNotFoundError as exc:
        raise NotStored(key) from exc
    return Written(size, digest)


def _make_parents(folder: Path) -> None:
    """Create missing folders and make each new entry durable in its parent."""
    if folder.is_dir():
        return
    _make_parents(folder.parent)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)  # private whatever the umask: only Diarium reads records
    fsync_dir(folder.parent)


class _ObjectSink:
    """One object: a temporary file, fsynced and linked into place on close."""

    def __init__(self, store: LocalStore, key: str) -> None:
        self.key = key
        self.final = store.root / key
        if os.path.lexists(self.final):
            raise AlreadyStored(key)
        folder = store.root / ".tmp"
        _make_parents(folder)
        self.tmp = folder / f"{os.getpid()}.{secrets.token_hex(8)}"
        self.fd = os.open(self.tmp, _NEW, 0o400)
        self.done = False

    def write(self, data: memoryview) -> None:
        write_all(self.fd, data)

    def close(self) -> None:
        try:
            os.fsync(self.fd)
        finally:
            os.close(self.fd)
            self.fd = -1
        _make_parents(self.final.parent)
        try:
            os.link(self.tmp, self.final)  # fails when the key exists: never a replace
        except FileExistsError as exc:
            raise AlreadyStored(self.key) from exc
        finally:
            os.unlink(self.tmp)
        fsync_dir(self.final.parent)
        self.done = True

    def abort(self) -> None:
        if self.done:
            return
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


class _FileSink:
    """A file in a staging folder: flushed later by the store's one syncfs."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, data: memoryview) -> None:
        write_all(self.fd, data)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    abort = close  # the staging folder is discarded whole


class LocalGroup(Group):
    def __init__(self, prefix: str, path: Path) -> None:
        self.prefix = prefix
        self.path = path

    def open(self, relative: str) -> BinaryIO:
        return _open_regular(self.path / check_key(relative), relative)

    def size(self, relative: str) -> int:
        return _regular_size(self.path / check_key(relative), relative)

    def list(self) -> Iterator[Listed]:
        for relative, size in iter_tree(self.path):
            yield Listed(relative, size)

    def verify(self, relative: str, throttle: Throttle | None = None) -> Written:
        return _hash(self.path / check_key(relative), relative, throttle)


class LocalStaging(LocalGroup, Staging):
    def __init__(self, store: LocalStore, prefix: str, path: Path) -> None:
        super().__init__(prefix, path)
        self.store = store
        self._made: set[str] = set()
        self.committed = False

    def sink(self, relative: str) -> _FileSink:
        check_key(relative)
        folder = relative.rpartition("/")[0]
        if folder and folder not in self._made:
            _make_parents(self.path / folder)
            self._made.add(folder)
        return _FileSink(os.open(self.path / relative, _NEW, 0o400))

    def commit(self) -> None:
        """Rename into place, atomically; then make the folder read-only. (Files were born
        read-only; a folder moved to another parent must stay writable for the rename.)"""
        final = self.store.root / self.prefix
        _make_parents(final.parent)
        if final.exists():
            raise AlreadyStored(self.prefix)
        staged = self.path
        os.rename(staged, final)
        fsync_dir(final.parent)
        fsync_dir(staged.parent)
        self.committed = True
        make_tree_read_only(final, files=False)  # its files were born 0400 (`sink`)

    def discard(self) -> None:
        if self.committed:
            return  # published: only disposal deletes it
        with contextlib.suppress(OSError):
            remove_tree(self.path)


class LocalStore(Store):
    kind = "filesystem"

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"<LocalStore {self.name} {self.root}>"

    def describe(self) -> str:
        return str(self.root)

    # -- objects ---------------------------------------------------------------------------
    def open(self, key: str) -> BinaryIO:
        return _open_regular(self.root / check_key(key), key)

    def exists(self, key: str) -> bool:
        try:
            return stat.S_ISREG(os.lstat(self.root / check_key(key)).st_mode)
        except FileNotFoundError:
            return False

    def size(self, key: str) -> int:
        return _regular_size(self.root / check_key(key), key)

    def list(self, prefix: str = "") -> Iterator[Listed]:
        if prefix and not prefix.endswith("/"):
            raise ValueError("list a folder: the prefix ends with '/'")
        folder = self.root / check_key(prefix.rstrip("/")) if prefix else self.root
        if not folder.is_dir():
            return
        skip = () if prefix else INTERNAL
        for relative, size in iter_tree(folder, prefix, skip):
            yield Listed(relative, size)

    def verify(self, key: str, throttle: Throttle | None = None) -> Written:
        return _hash(self.root / check_key(key), key, throttle)

    def sink(self, key: str) -> _ObjectSink:
        return _ObjectSink(self, check_key(key))

    def delete(self, key: str, *, reason: str) -> bool:
        path = self.root / check_key(key)
        deleting(self.name, key, reason)
        try:
            os.unlink(path)
        except FileNotFoundError:
            return False
        fsync_dir(path.parent)
        return True

    # -- groups ----------------------------------------------------------------------------
    def _leftovers(self, folder: str, prefix: str) -> list[Path]:
        name = check_key(prefix).rsplit("/", 1)[-1]
        parent = self.root / folder
        if not parent.is_dir():
            return []
        return sorted(p for p in parent.iterdir() if p.name.startswith(f"{name}."))

    def group(self, prefix: str) -> LocalGroup | None:
        path = self.root / check_key(prefix)
        return LocalGroup(prefix, path) if path.is_dir() else None

    def stage(self, prefix: str) -> LocalStaging:
        name = check_key(prefix).rsplit("/", 1)[-1]
        folder = self.root / ".staging"
        _make_parents(folder)
        path = folder / f"{name}.{os.getpid()}.{secrets.token_hex(4)}"
        path.mkdir(mode=0o700)
        return LocalStaging(self, prefix, path)

    def discard_staged(self, prefix: str) -> int:
        found = self._leftovers(".staging", prefix)
        for path in found:
            remove_tree(path)
        return len(found)

    def set_aside(self, prefix: str) -> str | None:
        final = self.root / check_key(prefix)
        if not final.exists():
            return None
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        target = self.root / ".damaged" / f"{final.name}.{stamp}"
        _make_parents(target.parent)
        os.chmod(final, 0o700)
        os.rename(final, target)
        fsync_dir(final.parent)
        return str(target.relative_to(self.root))

    def delete_group(self, prefix: str, *, reason: str) -> list[str]:
        """The group, leftovers of interrupted stagings and copies set aside; folders are
        made writable first and each removal is made durable by fsyncing the parent."""
        deleting(self.name, f"{prefix} (with its stagings and set-aside copies)", reason)
        targets = [self.root / check_key(prefix), *self._leftovers(".staging", prefix),
                   *self._leftovers(".damaged", prefix)]
        removed = []
        for path in targets:
            if not path.exists():
                continue
            remove_tree(path)
            fsync_dir(path.parent)
            removed.append(str(path.relative_to(self.root)))
        return removed

    def flush(self) -> None:
        if self.root.is_dir():
            sync_filesystem(self.root)
