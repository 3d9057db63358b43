"""The three package containers. Archives are listed and read as streams; nothing is
extracted to disk, so a hostile member name can never write anywhere."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .containers import TAR_SUFFIXES
from .fixity import ScanResult, scan_stream
from .limits import LIMITS
from .messages import finding
from .package import Package, PackageUnreadable, safe_member_path, sorted_requests

_ARCHIVE_ERRORS = (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, OSError,
                   NotImplementedError, RuntimeError, ValueError)
BOMB_MIN_BYTES = 100 << 20  # a ZIP member this large that expands more than
BOMB_RATIO = 1000  # this many times is treated as a decompression bomb
KEEP_METADATA_BYTES = 16 << 20
KEEP_TOTAL_BYTES = 256 << 20


def _corrupt(detail: object) -> PackageUnreadable:
    return PackageUnreadable(finding("SAFE-ARCHIVE", "corrupt", detail=detail))


def _read_limited(stream: BinaryIO, limit: int, path: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PackageUnreadable(finding("SAFE-SIZE", "member_too_large", path, path=path,
                                        detail=limit))
    return data


class DirectoryPackage(Package):
    kind = "directory"

    def __init__(self, source: Path) -> None:
        super().__init__(source.resolve())
        self.name = self.source.name
        stack = [(self.source, "")]
        count = 0
        while stack:
            folder, relative = stack.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    path = f"{relative}/{entry.name}" if relative else entry.name
                    count += 1
                    if count > LIMITS.max_members:
                        raise PackageUnreadable(finding("SAFE-SIZE", "too_many",
                                                        detail=LIMITS.max_members))
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISLNK(info.st_mode):
                        self.findings.append(finding("SAFE-LINK", "link", path, path=path))
                    elif stat.S_ISDIR(info.st_mode):
                        self._add_dir(path)
                        stack.append((Path(entry.path), path))
                    elif not stat.S_ISREG(info.st_mode):
                        self.findings.append(finding("SAFE-LINK", "special", path, path=path))
                    elif info.st_nlink > 1:
                        self.findings.append(finding("SAFE-LINK", "link", path, path=path))
                    else:
                        self._add_file(path, info.st_size, path)
        self._base = self.source
        folders, files = self.children("")
        if not files and len(folders) == 1:
            # A folder holding just the package folder, as an archive unpacks to one root.
            self._strip_root()
            self._base = self.source / self.name

    def _open(self, path: str) -> BinaryIO:
        # O_NOFOLLOW: a file swapped for a symlink after listing is refused, not followed.
        fd = os.open(self._base / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb", buffering=0)

    def read_bytes(self, path: str, limit: int) -> bytes:
        with self._open(path) as stream:
            return _read_limited(stream, limit, path)

    def open_member(self, path: str) -> BinaryIO:
        return self._open(path)

    def scan(self, requests: dict[str, set[str]]) -> dict[str, ScanResult]:
        results = {}
        for path, algorithms in sorted_requests(requests):
            with self._open(path) as stream:
                results[path] = scan_stream(stream, algorithms, path)
        return results


class ZipPackage(Package):
    kind = "zip"

    def __init__(self, source: Path) -> None:
        super().__init__(source)
        self.name = source.name[:-4] if source.name.lower().endswith(".zip") else source.stem
        try:
            self._zip = zipfile.ZipFile(source)
            infos = self._zip.infolist()
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt(exc) from exc
        if len(infos) > LIMITS.max_members:
            raise PackageUnreadable(finding("SAFE-SIZE", "too_many", detail=LIMITS.max_members))
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            path = safe_member_path(info.filename)
            mode = info.external_attr >> 16
            if path is None:
                self.findings.append(finding("SAFE-PATH", "unsafe", info.filename,
                                             path=info.filename))
            elif stat.S_ISLNK(mode):
                self.findings.append(finding("SAFE-LINK", "link", path, path=path))
            elif info.is_dir():
                self._add_dir(path)
            elif stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                self.findings.append(finding("SAFE-LINK", "special", path, path=path))
            elif info.flag_bits & 0x1:
                self.findings.append(finding("SAFE-SIZE", "encrypted", path, path=path))
            elif info.file_size > BOMB_MIN_BYTES and \
                    info.file_size > BOMB_RATIO * max(info.compress_size, 1):
                self.findings.append(finding("SAFE-SIZE", "bomb", path, path=path,
                                             detail=info.file_size))
            elif info.file_size > LIMITS.max_file_bytes:
                self.findings.append(finding("SAFE-SIZE", "member_too_large", path, path=path,
                                             detail=LIMITS.max_file_bytes))
            elif path:
                self._infos[path] = info
                self._add_file(path, info.file_size, path)
        self._strip_root()
        prefix_length = len(self.name) + 1 if not self._unrooted() else 0
        self._by_path = {p[prefix_length:]: i for p, i in self._infos.items()}

    def _unrooted(self) -> bool:
        return any(f.requirement == "CSIPSTR1" for f in self.findings)

    def _open(self, path: str) -> BinaryIO:
        try:
            return self._zip.open(self._by_path[path])
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt(f"{path}: {exc}") from exc

    def open_member(self, path: str) -> BinaryIO:
        return self._open(path)

    def read_bytes(self, path: str, limit: int) -> bytes:
        try:
            with self._open(path) as stream:
                return _read_limited(stream, limit, path)
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt(f"{path}: {exc}") from exc

    def scan(self, requests: dict[str, set[str]]) -> dict[str, ScanResult]:
        results = {}
        for path, algorithms in sorted_requests(requests):
            try:
                with self._open(path) as stream:
                    results[path] = scan_stream(stream, algorithms, path)
            except _ARCHIVE_ERRORS as exc:
                raise _corrupt(f"{path}: {exc}") from exc
        return results

    def close(self) -> None:
        self._zip.close()


class TarPackage(Package):
    """TAR, plain or compressed. Listing is one pass (METS files are read on the way); the
    checksum pass streams the archive once more, so compressed archives never seek back."""

    kind = "tar"

    def __init__(self, source: Path) -> None:
        super().__init__(source)
        lower = source.name.lower()
        self.name = next((source.name[: -len(s)] for s in TAR_SUFFIXES if lower.endswith(s)),
                         source.stem)
        self._small: dict[str, bytes] = {}
        self._kept = 0
        self._raw_names: dict[str, str] = {}
        try:
            with tarfile.open(source, mode="r|*") as archive:
                for count, member in enumerate(archive, start=1):
                    if count > LIMITS.max_members:
                        raise PackageUnreadable(finding("SAFE-SIZE", "too_many",
                                                        detail=LIMITS.max_members))
                    self._list(archive, member)
        except PackageUnreadable:
            raise
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt(exc) from exc
        self._strip_root()
        prefix = "" if any(f.requirement == "CSIPSTR1" for f in self.findings) else self.name
        cut = len(prefix) + 1 if prefix else 0
        self._small = {p[cut:]: data for p, data in self._small.items()}
        self._raw_names = {raw: p[cut:] for raw, p in self._raw_names.items()}

    def _list(self, archive: tarfile.TarFile, member: tarfile.TarInfo) -> None:
        path = safe_member_path(member.name)
        if path is None:
            self.findings.append(finding("SAFE-PATH", "unsafe", member.name, path=member.name))
        elif member.issym() or member.islnk():
            self.findings.append(finding("SAFE-LINK", "link", path, path=path))
        elif member.isdir():
            self._add_dir(path)
        elif not member.isreg():
            self.findings.append(finding("SAFE-LINK", "special", path, path=path))
        elif member.size > LIMITS.max_file_bytes:
            self.findings.append(finding("SAFE-SIZE", "member_too_large", path, path=path,
                                         detail=LIMITS.max_file_bytes))
        elif path:
            self._add_file(path, member.size, path)
            self._raw_names[member.name] = path
            stream = archive.extractfile(member)
            if stream is not None and self._keep(path, member.size):
                self._small[path] = _read_limited(stream, LIMITS.max_mets_bytes, path)
                self._kept += len(self._small[path])
            elif stream is not None:
                # Read the data through so truncation is noticed now, not halfway through.
                while stream.read(1 << 20):
                    pass

    def _keep(self, path: str, size: int) -> bool:
        """METS files, and small XML metadata files (PREMIS), are kept while listing."""
        name = path.rsplit("/", 1)[-1].casefold()
        if name == "mets.xml":
            return True
        return (name.endswith(".xml") and "metadata/" in path and size <= KEEP_METADATA_BYTES
                and self._kept + size <= KEEP_TOTAL_BYTES)

    def read_bytes(self, path: str, limit: int) -> bytes:
        if path in self._small:
            data = self._small[path]
            if len(data) > limit:
                raise PackageUnreadable(finding("SAFE-SIZE", "member_too_large", path,
                                                path=path, detail=limit))
            return data
        with self.open_member(path) as stream:  # not kept while listing: one more pass
            return _read_limited(stream, limit, path)

    @contextmanager
    def open_member(self, path: str) -> Iterator[BinaryIO]:
        if path in self._small:  # kept while listing: no second pass through the archive
            yield io.BytesIO(self._small[path])
            return
        try:
            with tarfile.open(self.source, mode="r|*") as archive:
                for member in archive:
                    if self._raw_names.get(member.name) == path:
                        yield archive.extractfile(member) or io.BytesIO()
                        return
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt(exc) from exc
        raise _corrupt(f"{path}: not found")

    def iter_members(self) -> Iterator[tuple[str, BinaryIO]]:
        """One pass through the archive (a compressed TAR cannot seek back)."""
        try:
            with tarfile.open(self.source, mode="r|*") as archive:
                for member in archive:
                    path = self._raw_names.get(member.name)
                    if path is not None and path in self.files:
                        yield path, archive.extractfile(member) or io.BytesIO()
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt(exc) from exc

    def scan(self, requests: dict[str, set[str]]) -> dict[str, ScanResult]:
        results: dict[str, ScanResult] = {}
        if not requests:
            return results
        try:
            with tarfile.open(self.source, mode="r|*") as archive:
                for member in archive:
                    path = self._raw_names.get(member.name)
                    if path is None or path not in requests or path in results:
                        continue
                    stream = archive.extractfile(member)
                    results[path] = scan_stream(stream or io.BytesIO(), requests[path], path)
        except _ARCHIVE_ERRORS as exc:
            raise _corrupt(exc) from exc
        return results
