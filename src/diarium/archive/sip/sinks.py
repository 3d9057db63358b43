"""Where a package is written: a folder or a ZIP file. Both write into a temporary name
beside the target and rename it into place only when the package is complete, so a crash
or an error never leaves a partial package under the real name. Content is streamed in
chunks and hashed (SHA-256) while it is written; nothing is held in memory whole.

Durability: a folder package is made durable once, just before the rename, by syncing the
file system it is on (syncfs on Linux; elsewhere every file and folder in it is fsynced), not
file by file as it is written: one fsync per file cost a few milliseconds each, most of the
time of a package of many small files, and gave no more safety, since nobody sees the
package before the rename."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
SNIFF = 64 * 1024  # bytes kept from the start and the end, for format identification
PARTIAL = ".partial-"


@dataclass(frozen=True)
class Written:
    """One file as written into the package."""

    path: str  # relative to the package root, POSIX
    size: int
    sha256: str
    head: bytes
    tail: bytes


class _Hasher:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = b""
        self.tail = b""

    def update(self, chunk: bytes | memoryview) -> None:
        self.digest.update(chunk)
        self.size += len(chunk)
        if len(self.head) < SNIFF:
            self.head += chunk[: SNIFF - len(self.head)]
        self.tail = (self.tail + chunk)[-SNIFF:]

    def result(self, path: str) -> Written:
        return Written(path, self.size, self.digest.hexdigest(), self.head, self.tail)


def _chunks(stream: BinaryIO, buffer: memoryview):
    """The stream's content in chunks; a file is read into `buffer` (no allocation per
    read: a package of many small files would otherwise allocate a megabyte per file)."""
    if isinstance(stream, io.BufferedReader | io.FileIO):
        while n := stream.readinto(buffer):
            yield buffer[:n]
    else:
        while chunk := stream.read(CHUNK):
            yield chunk


def _copy(stream: BinaryIO, out: BinaryIO, path: str, buffer: memoryview) -> Written:
    """Copy the stream to out, hashing it."""
    hasher = _Hasher()
    for chunk in _chunks(stream, buffer):
        hasher.update(chunk)
        out.write(chunk)
    return hasher.result(path)


class Sink:
    """A package being written. `commit()` makes it appear at `final`; `abort()` removes
    every trace of it."""

    final: Path

    def write_stream(self, path: str, stream: BinaryIO) -> Written:
        """Write (and hash) the stream's content at `path`."""
        raise NotImplementedError

    def write_bytes(self, path: str, data: bytes) -> Written:
        return self.write_stream(path, io.BytesIO(data))

    def commit(self, replace: bool = False) -> Path:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


class DirectorySink(Sink):
    def __init__(self, final: Path):
        self.final = final
        final.parent.mkdir(parents=True, exist_ok=True)
        # Private (0700) and ours: nobody else can plant a link in it while it is written.
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}{PARTIAL}", dir=final.parent))
        self._paths: set[str] = set()
        self._folders: set[str] = set()
        self._buffer = memoryview(bytearray(CHUNK))

    def write_stream(self, path: str, stream: BinaryIO) -> Written:
        if path.casefold() in self._paths:
            raise FileExistsError(f"{path} is already in the package")
        if path.startswith("/") or any(p in ("", ".", "..") for p in path.split("/")):
            raise ValueError(f"{path} is outside the package")
        self._paths.add(path.casefold())
        folder = path.rpartition("/")[0]
        if folder and folder not in self._folders:
            (self.tmp / folder).mkdir(parents=True, exist_ok=True)
            while folder and folder not in self._folders:
                self._folders.add(folder)
                folder = folder.rpartition("/")[0]
        target = os.path.join(self.tmp, path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(target, flags, 0o644), "wb") as out:
            return _copy(stream, out, path, self._buffer)

    def commit(self, replace: bool = False) -> Path:
        _sync_tree(self.tmp)
        os.chmod(self.tmp, 0o755)  # noqa: S103 (mkdtemp made it private; a package is not)
        if self.final.exists() or self.final.is_symlink():
            if not replace:
                self.abort()
                raise FileExistsError(f"{self.final} exists")
            old = Path(tempfile.mkdtemp(prefix=f".{self.final.name}.old-", dir=self.final.parent))
            os.rename(self.final, old / self.final.name)
            os.rename(self.tmp, self.final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.tmp, self.final)
        _fsync_dir(self.final.parent)
        return self.final

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


class ZipSink(Sink):
    """Members are stored under one root folder named like the package (CSIPSTR1)."""

    def __init__(self, final: Path, root: str):
        self.final = final
        self.root = root
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{final.name}{PARTIAL}", dir=final.parent)
        self.tmp = Path(name)
        self._file = os.fdopen(handle, "w+b")
        self._zip = zipfile.ZipFile(self._file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._paths: set[str] = set()
        self._buffer = memoryview(bytearray(CHUNK))

    def write_stream(self, path: str, stream: BinaryIO) -> Written:
        if path.casefold() in self._paths:
            raise FileExistsError(f"{path} is already in the package")
        self._paths.add(path.casefold())
        now = datetime.now(UTC).astimezone()
        info = zipfile.ZipInfo(f"{self.root}/{path}", date_time=now.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o100644 << 16
        with self._zip.open(info, "w", force_zip64=True) as out:
            return _copy(stream, out, path, self._buffer)

    def commit(self, replace: bool = False) -> Path:
        self._zip.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.chmod(self.tmp, 0o644)  # mkstemp made it private
        if (self.final.exists() or self.final.is_symlink()) and not replace:
            self.abort()
            raise FileExistsError(f"{self.final} exists")
        os.replace(self.tmp, self.final)
        _fsync_dir(self.final.parent)
        return self.final

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._zip.close()
        with contextlib.suppress(Exception):
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()


def _syncfs() -> object | None:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name, use_errno=True), "syncfs", None)
    except OSError:
        return None


_SYNCFS = _syncfs()


def _sync_tree(root: Path) -> None:
    """Make every file and folder under root durable."""
    if _SYNCFS is not None:
        fd = os.open(root, os.O_RDONLY)
        try:
            if _SYNCFS(fd) == 0:  # type: ignore[operator]
                return
        finally:
            os.close(fd)
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stale_partials(directory: Path) -> list[Path]:
    """Temporary packages left behind by a process that was killed while writing."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.startswith(".") and PARTIAL in p.name)
