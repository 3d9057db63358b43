"""Writing one stream to the staging of every location at once: each chunk is read once,
hashed once and written to every staging (local files are created exclusively and born
read-only; S3 objects are uploaded while they are read). The first and last bytes are
kept for format identification.

With `threads=n` the stagings are shared out over n writer threads: the calling thread
reads and hashes, and hands each chunk (a copy: the read buffer is reused), or a batch
of files of one chunk each, to the writer threads through short queues, so the copies
are written while the next file is read. Creating a file is what costs most for small
files (the file system's metadata), and the threads spend that time outside the GIL. A
location's error is raised by a later `copy` or by `finish`; the queues hold at most
DEPTH items of at most CHUNK bytes each, so memory stays bounded whatever the file
sizes."""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from diarium.archive.validation.fixity import HEAD, TAIL
from diarium.core.storage import Sink, Staging, check_key, pump
from diarium.core.storage.streams import CHUNK, chunks

DEPTH = 32  # items (a chunk of at most 1 MiB, or a batch of small files) queued per lane
# Files of one chunk go to the writer thread in batches of at most this many files and
# CHUNK bytes: one queue item (and one wake-up of the thread) per file cost a sixth of
# the CPU of copying 10 000 small files (docs/performance.md, section 7).
BATCH_FILES = 64


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


# What the reading thread hands to a location's thread.
_FILES, _OPEN, _WRITE, _CLOSE, _ABORT = range(5)


class _Lane:
    """A writer thread for one or more stagings (each item is written to each in turn).
    After an error it keeps taking (and dropping) what it is given, so the reading thread
    never blocks on a full queue."""

    def __init__(self, stagings: list[Staging]) -> None:
        self.stagings = stagings
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=DEPTH)
        self.thread = threading.Thread(target=self._run, name="aip-writer", daemon=True)
        self.thread.start()

    def put(self, item: tuple) -> None:
        self.queue.put(item)

    def stop(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def _run(self) -> None:
        sinks: list[Sink] = []
        while True:
            item = self.queue.get()
            if item is None:
                break
            if self.error is not None:
                continue
            try:
                sinks = self._apply(sinks, item)
            except BaseException as exc:  # handed to the reading thread
                self.error = exc
                _abort(sinks)
                sinks = []
        _abort(sinks)  # stopped in the middle of a file: never complete it

    def _apply(self, sinks: list[Sink], item: tuple) -> list[Sink]:
        kind = item[0]
        if kind == _FILES:
            for relative, data in item[1]:
                for staging in self.stagings:
                    sink = staging.sink(relative)
                    sinks = [sink]
                    if data:
                        sink.write(memoryview(data))
                    sink.close()
                    sinks = []
            return sinks
        if kind == _OPEN:
            for staging in self.stagings:
                sinks.append(staging.sink(item[1]))
            return sinks
        if kind == _WRITE:
            view = memoryview(item[1])
            for sink in sinks:
                sink.write(view)
            return sinks
        if kind == _CLOSE:
            while sinks:
                sinks[0].close()
                sinks.pop(0)
            return sinks
        _abort(sinks)  # _ABORT
        return []


def _abort(sinks: list[Sink]) -> None:
    for sink in sinks:
        with contextlib.suppress(Exception):
            sink.abort()


class TreeWriter:
    def __init__(self, stagings: list[Staging], *, threads: int = 0) -> None:
        """`threads`: 0 writes in the calling thread; otherwise the stagings are shared
        out over that many writer threads (at most one per staging)."""
        self.stagings = stagings
        count = min(threads, len(stagings))
        self._lanes = [_Lane(stagings[n::count]) for n in range(count)]
        self._batch: list[tuple[str, bytes]] = []  # files of one chunk not yet handed over
        self._batch_bytes = 0

    def __enter__(self) -> TreeWriter:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def copy(self, relative: str, stream: BinaryIO,
             advance: Callable[[int], None] | None = None) -> CopyResult:
        check_key(relative)
        if self._lanes:
            return self._copy_parallel(relative, stream, advance)
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

    def finish(self) -> None:
        """Wait until every location has written everything given to it; raise the first
        location's error. (The files still need the store's flush to be durable.)"""
        self.close()
        self._raise_failed()

    def close(self) -> None:
        """Stop the writer threads once they have written what they were given (a file
        being written is aborted, never completed)."""
        if self._batch:
            for lane in self._lanes:
                lane.put((_FILES, self._batch))
            self._batch = []
        for lane in self._lanes:
            lane.stop()

    def _raise_failed(self) -> None:
        for lane in self._lanes:
            if lane.error is not None:
                raise lane.error

    def _send(self, item: tuple) -> None:
        self._raise_failed()
        for lane in self._lanes:
            lane.put(item)

    def _send_batch(self) -> None:
        if self._batch:
            batch, self._batch, self._batch_bytes = self._batch, [], 0
            self._send((_FILES, batch))

    def _add_file(self, relative: str, data: bytes) -> None:
        if self._batch_bytes + len(data) > CHUNK or len(self._batch) >= BATCH_FILES:
            self._send_batch()
        self._batch.append((relative, data))
        self._batch_bytes += len(data)

    def _copy_parallel(self, relative: str, stream: BinaryIO,
                       advance: Callable[[int], None] | None) -> CopyResult:
        self._raise_failed()
        digest = hashlib.sha256()
        peek = _Peek()
        first: bytes | None = None  # held back: a file of one chunk goes as one item
        opened = False
        try:
            for chunk in chunks(stream):
                data = bytes(chunk)
                digest.update(data)
                peek.write(chunk)
                if first is None and not opened:
                    first = data
                else:
                    if not opened:
                        self._send_batch()  # the files before this one go first
                        self._send((_OPEN, relative))
                        self._send((_WRITE, first))
                        opened, first = True, None
                    self._send((_WRITE, data))
                if advance is not None:
                    advance(len(data))
        except BaseException:
            if opened:
                for lane in self._lanes:
                    lane.put((_ABORT,))
            raise
        if opened:
            self._send((_CLOSE,))
        else:
            self._add_file(relative, first or b"")
        return CopyResult(peek.size, digest.hexdigest(), peek.head, peek.tail)
