"""The AIP writer with writer threads: what it writes is what the calling thread read and
hashed (a file of one chunk and a file of many chunks alike), a location's error reaches
the caller, and a file whose source fails part-way is aborted in every staging, never completed."""

from __future__ import annotations

import hashlib
import io

import pytest

from diarium.archive.storage.writer import DEPTH, TreeWriter
from diarium.core.storage.local import LocalStore
from diarium.core.storage.streams import CHUNK


def _stagings(tmp_path, count=2):
    stores = [LocalStore(f"copy-{n}", tmp_path / f"copy-{n}") for n in range(count)]
    return stores, [store.stage("aip") for store in stores]


@pytest.mark.parametrize("threads", [1, 2])
def test_every_staging_gets_the_bytes_that_were_hashed(tmp_path, threads):
    _stores, stagings = _stagings(tmp_path)
    files = {"small/a.txt": b"liten fil\n", "empty.txt": b"",
             "large/b.bin": bytes(range(256)) * (3 * CHUNK // 256 + 7)}
    with TreeWriter(stagings, threads=threads) as writer:
        results = {path: writer.copy(path, io.BytesIO(data)) for path, data in files.items()}
        writer.finish()
    for path, data in files.items():
        assert results[path].sha256 == hashlib.sha256(data).hexdigest()
        assert results[path].size == len(data)
        assert results[path].head == data[:len(results[path].head)]
        for staging in stagings:
            with staging.open(path) as stream:
                assert stream.read() == data


def test_a_location_error_reaches_the_caller(tmp_path):
    _stores, stagings = _stagings(tmp_path)
    with TreeWriter(stagings, threads=2) as writer:
        writer.copy("a.txt", io.BytesIO(b"first"))
        with pytest.raises(FileExistsError):  # the same key again: refused (O_EXCL)
            for n in range(4 * DEPTH):  # raised by a later copy or at the latest by finish
                writer.copy("a.txt" if n == 0 else f"b-{n}.txt", io.BytesIO(b"again"))
            writer.finish()
    for staging in stagings:
        with staging.open("a.txt") as stream:
            assert stream.read() == b"first"  # never replaced


class _Broken(io.RawIOBase):
    """A source that fails after its first chunk."""

    def __init__(self) -> None:
        self.calls = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.calls += 1
        if self.calls > 2:
            raise OSError("the source went away")
        buffer[:] = b"x" * len(buffer)
        return len(buffer)


class _Recording:
    """A staging that records what is done to each of its objects."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    def sink(self, relative: str):
        log = self.log

        class Sink:
            def write(self, data) -> None:
                log.append(("write", relative))

            def close(self) -> None:
                log.append(("close", relative))

            def abort(self) -> None:
                log.append(("abort", relative))

        return Sink()


@pytest.mark.parametrize("threads", [0, 1])
def test_a_file_whose_source_fails_is_aborted_never_completed(threads):
    stagings = [_Recording(), _Recording()]
    with TreeWriter(stagings, threads=threads) as writer:
        with pytest.raises(OSError, match="went away"):
            writer.copy("broken.bin", _Broken())
        writer.copy("next.txt", io.BytesIO(b"ok"))
        writer.finish()
    for staging in stagings:
        done = [(what, key) for what, key in staging.log if what != "write"]
        assert done == [("abort", "broken.bin"), ("close", "next.txt")]
