"""Writing one stream to the staging of every location at once: each chunk is read once,
hashed once and written to every staging (local files are created exclusively and born
read-only; S3 objects are uploaded while they are read). The first and last bytes are
kept for format identification."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from diarium.archive.validation.fixity import HEAD, TAIL
from diarium.core.storage import Sink, Staging, check_key, pump


@dataclass
class CopyResult:
    size: int
    sha256: str
    head: bytes
    tail: bytes


class _Peek:
    """A sink that keeps the first HEAD bytes, and the last TAIL bytes of a PDF."""

    def __init__(self) -> None:
        self.head = b""
        self.tail = b""
        self.size = 0

    def write(self, data: memoryview) -> None:
        if self.size < HEAD:
            self.head += bytes(data[: HEAD - self.size])
        self.size += len(data)
        if self.head.startswith(b"%PDF"):
            self.tail = (self.tail + bytes(data[-TAIL:]))[-TAIL:]

    def close(self) -> None:
        pass

    abort = close


class TreeWriter:
    def __init__(self, stagings: list[Staging]) -> None:
        self.stagings = stagings

    def copy(self, relative: str, stream: BinaryIO,
             advance: Callable[[int], None] | None = None) -> CopyResult:
        check_key(relative)
        sinks: list[Sink] = []
        try:
            for staging in self.stagings:
                sinks.append(staging.sink(relative))
        except BaseException:
            for sink in sinks:
                sink.abort()
            raise
        peek = _Peek()
        written = pump(stream, [*sinks, peek], advance)
        return CopyResult(written.size, written.sha256, peek.head, peek.tail)
