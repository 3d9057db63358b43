"""Reading a package without trusting it: a directory, a ZIP or a TAR (optionally compressed).

Archives are read as streams, never extracted. Every member path is normalised and checked:
absolute paths, `..`, links, devices and duplicates are reported as findings and the member
is skipped, so nothing outside the package is ever read."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .fixity import ScanResult
from .messages import finding
from .report import Finding

_DRIVE = re.compile(r"^[A-Za-z]:")


class PackageUnreadable(Exception):
    """The package cannot be read at all (exit code 2)."""

    def __init__(self, result: Finding) -> None:
        super().__init__(result.message_en)
        self.finding = result


@dataclass(frozen=True)
class Member:
    path: str  # relative to the package root folder, "/"-separated
    size: int


def safe_member_path(raw: str) -> str | None:
    """Normalise an archive member name; None when it would escape the extraction folder."""
    if "\x00" in raw:
        return None
    name = raw.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


class Package:
    """What the checks see: the member files and folders under the package root."""

    kind = "package"

    def __init__(self, source: Path) -> None:
        self.source = source
        self.name = source.name
        self.files: dict[str, Member] = {}
        self.dirs: set[str] = set()
        self.findings: list[Finding] = []
        self._folded: dict[str, str] | None = None

    # -- listing ---------------------------------------------------------------------------
    def _add_file(self, path: str, size: int, location: str) -> None:
        if path in self.files or path in self.dirs:
            self.findings.append(finding("SAFE-PATH", "duplicate", location, path=path))
            return
        self.files[path] = Member(path, size)
        parent = PurePosixPath(path).parent
        while str(parent) not in (".", "") and str(parent) not in self.dirs:
            self.dirs.add(str(parent))
            parent = parent.parent

    def _add_dir(self, path: str) -> None:
        while path and path not in self.dirs:
            self.dirs.add(path)
            path = str(PurePosixPath(path).parent).lstrip(".")

    def _strip_root(self) -> None:
        """Archives must unpack to one root folder (CSIPSTR1): make paths relative to it."""
        tops = {p.split("/", 1)[0] for p in self.files} | {d.split("/", 1)[0] for d in self.dirs}
        if len(tops) == 1:
            top = next(iter(tops))
            if top not in self.files:
                prefix = top + "/"
                self.name = top
                self.files = {
                    p[len(prefix):]: Member(p[len(prefix):], m.size)
                    for p, m in self.files.items()
                }
                self.dirs = {d[len(prefix):] for d in self.dirs if d != top}
                return
        self.findings.append(finding("CSIPSTR1", "no_single_root", self.source.name))

    # -- lookups ---------------------------------------------------------------------------
    def exists(self, path: str) -> bool:
        return path in self.files

    def is_dir(self, path: str) -> bool:
        return path == "" or path in self.dirs

    def case_insensitive(self, path: str) -> str | None:
        """The real name of `path` when it only differs in letter case."""
        if self._folded is None:
            self._folded = {}
            for p in list(self.files) + sorted(self.dirs):
                self._folded.setdefault(p.casefold(), p)
        return self._folded.get(path.casefold())

    def children(self, folder: str) -> tuple[set[str], set[str]]:
        """(sub-folder names, file names) directly inside `folder` ("" = root)."""
        prefix = f"{folder}/" if folder else ""
        subdirs = {d[len(prefix):] for d in self.dirs if d.startswith(prefix)
                   and "/" not in d[len(prefix):] and d != folder}
        files = {f[len(prefix):] for f in self.files if f.startswith(prefix)
                 and "/" not in f[len(prefix):]}
        return subdirs, files

    def files_under(self, folder: str) -> list[str]:
        prefix = f"{folder}/"
        return [p for p in self.files if p.startswith(prefix)]

    def has_files_under(self, folder: str) -> bool:
        prefix = f"{folder}/"
        return any(p.startswith(prefix) for p in self.files)

    # -- reading ---------------------------------------------------------------------------
    def read_bytes(self, path: str, limit: int) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError

    def scan(self, requests: dict[str, set[str]]) -> dict[str, ScanResult]:
        """Stream each requested file once; `requests` maps path -> checksum algorithms."""
        raise NotImplementedError  # pragma: no cover - abstract

    def open_member(self, path: str) -> AbstractContextManager[BinaryIO]:
        """One member as a binary stream (for the rare second look at a file)."""
        raise NotImplementedError  # pragma: no cover - abstract

    @contextmanager
    def open_limited(self, path: str, limit: int) -> Iterator[BinaryIO]:
        """A member as a stream that refuses to yield more than `limit` bytes (SAFE-SIZE),
        for parsing a large XML document without a copy of it in memory."""
        member = self.files.get(path)
        if member is not None and member.size > limit:
            raise PackageUnreadable(finding("SAFE-SIZE", "member_too_large", path, path=path,
                                            detail=limit))
        with self.open_member(path) as stream:
            yield _Limited(stream, limit, path)

    def iter_members(self) -> Iterator[tuple[str, BinaryIO]]:
        """Every member file once, as (path, stream), in the order cheapest to read."""
        for path in sorted(self.files):
            with self.open_member(path) as stream:
                yield path, stream

    def close(self) -> None:
        return None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_package(path: str | Path) -> Package:
    """Open a directory, ZIP or TAR (plain, gzip, bzip2, xz), told apart by their structure
    (containers.container_of); PackageUnreadable if it is none of them."""
    from .containers import container_of
    from .readers import DirectoryPackage, TarPackage, ZipPackage

    source = Path(path)
    if source.is_symlink():
        raise PackageUnreadable(finding("SAFE-LINK", "package_symlink", str(source),
                                     path=str(source)))
    if source.is_dir():
        return DirectoryPackage(source)
    if not source.is_file():
        raise PackageUnreadable(finding("PACKAGE", "not_found", str(source), path=str(source)))
    kind = container_of(source)
    if kind == "tar":
        return TarPackage(source)
    if kind == "zip":
        return ZipPackage(source)
    raise PackageUnreadable(finding("PACKAGE", "not_a_package", str(source),
                                     path=str(source)))


class _Limited(io.RawIOBase):
    """At most `limit` bytes of `stream`; PackageUnreadable past them."""

    def __init__(self, stream: BinaryIO, limit: int, path: str) -> None:
        super().__init__()
        self._stream, self._left, self._path, self._limit = stream, limit, path, limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size >= 0 else self._left + 1)
        self._left -= len(data)
        if self._left < 0:
            raise PackageUnreadable(finding("SAFE-SIZE", "member_too_large", self._path,
                                            path=self._path, detail=self._limit))
        return data


def sorted_requests(requests: dict[str, set[str]]) -> Iterable[tuple[str, set[str]]]:
    return sorted(requests.items())
