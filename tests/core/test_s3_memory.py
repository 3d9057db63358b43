"""Large objects go to S3 as multipart uploads and come back as streams: the memory a
transfer takes does not grow with the object (tracemalloc's peak; no timing)."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

from diarium.core.storage import pump
from diarium.core.storage.config import build
from diarium.core.storage.streams import chunks
from tests.s3server import client, s3_options

MIB = 1 << 20
PART = 5 * MIB
SIZE = 96 * MIB


class Generated(io.RawIOBase):
    """`size` bytes made as they are read (never all in memory), and their SHA-256."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.digest = hashlib.sha256()
        self.counter = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        block = hashlib.sha256(str(self.counter).encode()).digest() * (n // 32 + 1)
        buffer[:n] = block[:n]
        self.digest.update(block[:n])
        self.counter += 1
        self.left -= n
        return n


def peak_of(action) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_object_is_uploaded_in_parts_and_read_back_with_flat_memory(
        s3_endpoint, bucket):
    store = build("big", s3_options(s3_endpoint, bucket, part_size=PART))
    source = Generated(SIZE)
    written, write_peak = peak_of(lambda: store.write("large.bin", source))
    assert written.size == SIZE and written.sha256 == source.digest.hexdigest()
    etag = client(s3_endpoint).head_object(Bucket=bucket, Key="large.bin")["ETag"]
    assert etag.strip('"').endswith("-20")  # 96 MiB in parts of 5 MiB: a multipart upload
    verified, verify_peak = peak_of(lambda: store.verify("large.bin"))
    assert verified == written

    def read_all() -> str:
        digest = hashlib.sha256()
        with store.open("large.bin") as stream:
            for chunk in chunks(stream):
                digest.update(chunk)
        return digest.hexdigest()

    read, read_peak = peak_of(read_all)
    assert read == written.sha256
    assert write_peak < 4 * PART, write_peak  # about two parts, not the 96 MiB
    assert verify_peak < 4 * MIB and read_peak < 4 * MIB, (verify_peak, read_peak)


def test_one_read_feeds_a_local_and_an_s3_staging_with_flat_memory(s3_endpoint, bucket,
                                                                   tmp_path):
    local = build("copy-1", {"kind": "filesystem", "path": str(tmp_path / "copy-1")})
    remote = build("copy-2", s3_options(s3_endpoint, bucket, part_size=PART))
    stagings = [local.stage("aip/ab/abc"), remote.stage("aip/ab/abc")]
    source = Generated(SIZE)
    written, peak = peak_of(lambda: pump(source, [s.sink("large.bin") for s in stagings]))
    for store, staging in zip((local, remote), stagings, strict=True):
        store.flush()
        assert staging.verify("large.bin") == written
    assert peak < 4 * PART, peak
