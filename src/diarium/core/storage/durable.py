"""Making writes on a local file system durable and reading them back honestly.

Files are written without a per-file fsync; one syncfs(2) per storage location then flushes
them all (ten thousand fsyncs would dominate an ingest of small files). Before a copy is read
back, its pages are dropped from the page cache (posix_fadvise DONTNEED, effective once
the data is on disk), so the verification reads what the disk holds, not what we wrote."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import shutil
import stat
from pathlib import Path

from .streams import CHUNK, chunk_buffer

_libc = None


def _syncfs_function():
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        except OSError:
            _libc = False
    return getattr(_libc, "syncfs", None) if _libc else None


def sync_filesystem(path: Path) -> None:
    """Flush everything written to the file system holding `path` to stable storage."""
    syncfs = _syncfs_function()
    fd = os.open(path, os.O_RDONLY)
    try:
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def drop_cache(fd: int) -> None:
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def open_no_follow(path: Path) -> int:
    return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))




def hash_file(path: Path, throttle=None, from_disk: bool = True) -> tuple[int, str]:
    """(size, sha256) of a stored file, read in 1 MiB chunks (into a per-thread buffer),
    from the disk rather than the page cache when `from_disk`."""
    fd = open_no_follow(path)
    try:
        if from_disk:
            drop_cache(fd)
        digest = hashlib.sha256()
        buffer, view = chunk_buffer()
        size = 0
        while n := os.readv(fd, [buffer]):
            digest.update(view[:n])
            size += n
            if throttle is not None:
                throttle.consume(n)
        if from_disk and size >= CHUNK:
            drop_cache(fd)  # do not crowd the page cache with what was only verified
        return size, digest.hexdigest()
    finally:
        os.close(fd)


def write_all(fd: int, data: memoryview | bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def make_tree_read_only(root: Path, *, files: bool = True) -> None:
    """Files 0400, folders 0500: write-once on disk too (root's writes are not stopped),
    and private: records are read by Diarium's own account only. `files=False` when every
    file was born 0400 (a staging's are): the folders only, one chmod per folder rather
    than per file."""
    for folder, dirs, names in os.walk(root):
        for name in names if files else ():
            os.chmod(os.path.join(folder, name), 0o400, follow_symlinks=False)
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o500, follow_symlinks=False)
    os.chmod(root, 0o500)


def remove_tree(root: Path) -> None:
    """Remove a staging folder (read-only inside) completely; no error when it is gone."""
    if not root.exists():
        return
    for folder, dirs, _files in os.walk(root):
        os.chmod(folder, stat.S_IRWXU)
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(root, ignore_errors=False)


def iter_tree(root: Path, prefix: str = "", skip: tuple[str, ...] = ()):
    """(relative path, size) of every regular file below root, as found (nothing is
    collected first); links and specials are given size -1 so that a verification counts
    them as damage. `skip`: names left out at the top level."""
    stack = [(root, prefix)]
    while stack:
        folder, base = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if folder is root and entry.name in skip:
                    continue
                relative = f"{base}{entry.name}"
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    stack.append((Path(entry.path), relative + "/"))
                elif stat.S_ISREG(info.st_mode):
                    yield relative, info.st_size
                else:
                    yield relative, -1
