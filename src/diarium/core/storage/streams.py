"""Moving bytes between streams and stores without holding them: one chunk at a time,
read once, hashed once and handed to every sink (so two copies cost one read), with an
optional rate limit shared by threads."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from .base import Sink, Written

CHUNK = 1 << 20
SPOOL_IN_MEMORY = 8 << 20
_buffers = threading.local()


def chunk_buffer() -> tuple[bytearray, memoryview]:
    """A per-thread 1 MiB buffer (allocating one per file is measurable on small files)."""
    if not hasattr(_buffers, "buffer"):
        _buffers.buffer = bytearray(CHUNK)
        _buffers.view = memoryview(_buffers.buffer)
    return _buffers.buffer, _buffers.view


def chunks(stream: BinaryIO):
    """The stream's bytes as views of the per-thread buffer (valid until the next one)."""
    buffer, view = chunk_buffer()
    readinto = getattr(stream, "readinto", None)
    while True:
        if readinto is not None:
            n = readinto(buffer)
            if not n:
                return
            yield view[:n]
        else:
            data = stream.read(CHUNK)
            if not data:
                return
            yield memoryview(data)


def pump(stream: BinaryIO, sinks: Sequence[Sink],
         advance: Callable[[int], None] | None = None) -> Written:
    """Copy the stream into every sink; (size, sha256) of what was copied. On any error
    every sink is aborted, so no partial object is ever completed."""
    from .base import Written

    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in chunks(stream):
            digest.update(chunk)
            for sink in sinks:
                sink.write(chunk)
            size += len(chunk)
            if advance is not None:
                advance(len(chunk))
        for sink in sinks:
            sink.close()
    except BaseException:
        for sink in sinks:
            with contextlib.suppress(Exception):  # the first error is the one to report
                sink.abort()
        raise
    return Written(size, digest.hexdigest())


def hash_stream(stream: BinaryIO, throttle: Throttle | None = None) -> Written:
    from .base import Written

    digest = hashlib.sha256()
    size = 0
    for chunk in chunks(stream):
        digest.update(chunk)
        size += len(chunk)
        if throttle is not None:
            throttle.consume(len(chunk))
    return Written(size, digest.hexdigest())


def seekable(stream: BinaryIO, folder: str | None = None) -> BinaryIO:
    """The stream itself when it can seek, else a copy spooled to a temporary file (kept in
    memory up to 8 MiB): for readers such as PDF parsers that jump around."""
    if stream.seekable():
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=folder)  # noqa: SIM115
    with stream:
        shutil.copyfileobj(stream, copy, CHUNK)
    copy.seek(0)
    return copy


class Throttle:
    """A byte-rate limit shared by the threads of one job (e.g. a fixity audit)."""

    def __init__(self, bytes_per_second: float | None) -> None:
        self.rate = bytes_per_second if bytes_per_second and bytes_per_second > 0 else None
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._consumed = 0

    def consume(self, n: int) -> None:
        if self.rate is None:
            return
        with self._lock:
            self._consumed += n
            due = self._start + self._consumed / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
