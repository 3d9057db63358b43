"""Writing one stream to several folders at once: each chunk is read once, hashed once and
written to every target. Files are created exclusively (never overwritten) and born
read-only (mode 0444; the open descriptor still writes)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from diarium.archive.validation.fixity import HEAD, TAIL

from .durable import CHUNK, write_all

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


@dataclass
class CopyResult:
    size: int
    sha256: str
    head: bytes
    tail: bytes


class TreeWriter:
    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self._made: set[str] = set()

    def _folders(self, relative: str) -> None:
        parent = str(PurePosixPath(relative).parent)
        if parent in (".", "") or parent in self._made:
            return
        for root in self.roots:
            (root / parent).mkdir(parents=True, exist_ok=True)
        self._made.add(parent)

    def copy(self, relative: str, stream: BinaryIO,
             advance: Callable[[int], None] | None = None) -> CopyResult:
        if relative.startswith("/") or ".." in PurePosixPath(relative).parts:
            raise ValueError(f"unsafe path {relative!r}")
        self._folders(relative)
        fds = []
        try:
            for root in self.roots:
                fds.append(os.open(root / relative, _FLAGS, 0o444))
            return _pump(stream, fds, advance)
        finally:
            for fd in fds:
                os.close(fd)


def _pump(stream: BinaryIO, fds: list[int], advance) -> CopyResult:
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    size = 0
    head = b""
    tail = b""
    readinto = getattr(stream, "readinto", None)
    while True:
        if readinto is not None:
            n = readinto(buffer)
            chunk = view[:n] if n else b""
        else:  # pragma: no cover - every reader we use has readinto
            chunk = stream.read(CHUNK)
            n = len(chunk)
        if not n:
            break
        digest.update(chunk)
        for fd in fds:
            write_all(fd, chunk)
        if size < HEAD:
            head += bytes(chunk[: HEAD - size])
        size += n
        if head.startswith(b"%PDF"):
            tail = (tail + bytes(chunk[-TAIL:]))[-TAIL:]
        if advance is not None:
            advance(n)
    return CopyResult(size, digest.hexdigest(), head, tail)
