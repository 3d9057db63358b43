"""The store contract, the same for the local disk and for S3 (a moto server in its own
process): write once from a stream, read as a stream, refuse to overwrite, verify by
reading back, delete with a reason, list lazily; groups are invisible until committed,
refused when one is published, set aside without loss, deleted whole."""

from __future__ import annotations

import hashlib
import io
import os
import types

import pytest

from diarium.core.storage import AlreadyStored, NotStored, Store, pump
from diarium.core.storage.config import build
from tests.s3server import client, s3_options

PREFIX = "aip/ab/ab12"


@pytest.fixture(params=["filesystem", "s3"])
def store(request, tmp_path) -> Store:
    if request.param == "filesystem":
        return build("test", {"kind": "filesystem", "path": str(tmp_path / "store")})
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = request.getfixturevalue("bucket")
    return build("test", s3_options(endpoint, bucket, prefix="base"))


def damage(store: Store, key: str, data: bytes) -> None:
    """Change a stored object behind the store's back (bit rot, a careless operator)."""
    if store.kind == "s3":
        client(store.client.meta.endpoint_url).put_object(
            Bucket=store.bucket, Key=store.full_key(key), Body=data)
    else:
        path = store.root / key
        path.chmod(0o600)
        path.write_bytes(data)


def test_an_object_is_written_once_from_a_stream_and_read_back(store):
    written = store.write("sha256/ab/one.txt", io.BytesIO(b"Beslut i KS 2024/17\n"))
    assert written.size == 20
    assert written.sha256 == hashlib.sha256(b"Beslut i KS 2024/17\n").hexdigest()
    assert store.exists("sha256/ab/one.txt") and store.size("sha256/ab/one.txt") == 20
    with store.open("sha256/ab/one.txt") as stream:
        assert stream.read() == b"Beslut i KS 2024/17\n"
    assert store.verify("sha256/ab/one.txt") == written
    with pytest.raises(AlreadyStored):
        store.write("sha256/ab/one.txt", io.BytesIO(b"something else"))
    assert store.open("sha256/ab/one.txt").read() == b"Beslut i KS 2024/17\n"


def test_missing_objects_and_unsafe_keys(store):
    assert not store.exists("nothing/here")
    for call in (store.open, store.size, store.verify):
        with pytest.raises(NotStored):
            call("nothing/here")
    for key in ("../escape", "/absolute", "a//b", "a/./b", ""):
        with pytest.raises(ValueError):
            store.write(key, io.BytesIO(b"x"))


def test_verify_reads_the_medium_and_sees_damage(store):
    written = store.write("doc/k.txt", io.BytesIO(b"original content"))
    damage(store, "doc/k.txt", b"original c0ntent")
    assert store.verify("doc/k.txt").sha256 != written.sha256


def test_delete_needs_a_reason_and_says_whether_there_was_something(store):
    store.write("doc/gone.txt", io.BytesIO(b"x"))
    with pytest.raises(ValueError):
        store.delete("doc/gone.txt", reason=" ")
    assert store.delete("doc/gone.txt", reason="disposed of under a decision")
    assert not store.exists("doc/gone.txt")
    assert not store.delete("doc/gone.txt", reason="again")


def test_list_is_lazy_and_lists_what_is_under_a_folder(store):
    for n in range(5):
        store.write(f"list/{n}/doc.txt", io.BytesIO(b"x" * n))
    store.write("other/doc.txt", io.BytesIO(b"y"))
    listing = store.list("list/")
    assert isinstance(listing, types.GeneratorType)
    assert sorted((i.key, i.size) for i in listing) == [(f"list/{n}/doc.txt", n)
                                                        for n in range(5)]


def test_a_failed_stream_leaves_no_object(store):
    class Broken(io.RawIOBase):
        sent = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            if self.sent > 12 << 20:
                raise OSError("the source disk failed")
            buffer[:] = b"z" * len(buffer)
            self.sent += len(buffer)
            return len(buffer)

    with pytest.raises(OSError, match="source disk"):
        store.write("half/written.bin", Broken())
    assert not store.exists("half/written.bin")
    assert [i.key for i in store.list("")] == []
    if store.kind == "s3":
        uploads = client(store.client.meta.endpoint_url).list_multipart_uploads(
            Bucket=store.bucket)
        assert not uploads.get("Uploads")


def staged(store: Store, files: dict[str, bytes]):
    staging = store.stage(PREFIX)
    for name, data in files.items():
        pump(io.BytesIO(data), [staging.sink(name)])
    return staging


def test_a_group_is_invisible_until_committed_and_never_replaced(store):
    staging = staged(store, {"METS.xml": b"<mets/>", "submission/data/a.txt": b"a"})
    assert store.group(PREFIX) is None
    store.flush()
    assert staging.verify("METS.xml").size == 7
    staging.commit()
    group = store.group(PREFIX)
    assert sorted((i.key, i.size) for i in group.list()) == [
        ("METS.xml", 7), ("submission/data/a.txt", 1)]
    assert group.open("submission/data/a.txt").read() == b"a"
    second = staged(store, {"METS.xml": b"<other/>"})
    with pytest.raises(AlreadyStored):
        second.commit()
    assert store.group(PREFIX).open("METS.xml").read() == b"<mets/>"
    # The way to replace a (damaged) group: set it aside, then publish the new one.
    assert store.set_aside(PREFIX)
    assert store.group(PREFIX) is None
    second.commit()
    assert store.group(PREFIX).open("METS.xml").read() == b"<other/>"


def test_leftovers_are_discarded_and_disposal_removes_everything(store):
    staged(store, {"METS.xml": b"1"}).commit()
    store.set_aside(PREFIX)
    staged(store, {"METS.xml": b"2"}).commit()
    staged(store, {"METS.xml": b"interrupted"})  # a crash: never committed nor discarded
    assert store.discard_staged(PREFIX) == 1
    assert store.discard_staged(PREFIX) == 0
    assert store.group(PREFIX).open("METS.xml").read() == b"2"
    removed = store.delete_group(PREFIX, reason="disposal list 2024:1")
    assert len(removed) == 2  # the published copy and the one set aside
    assert store.group(PREFIX) is None
    assert [i.key for i in store.list("")] == []
    assert store.delete_group(PREFIX, reason="again") == []


def test_a_staged_object_cannot_be_written_twice(store):
    staging = staged(store, {"METS.xml": b"1"})
    with pytest.raises(FileExistsError):
        pump(io.BytesIO(b"2"), [staging.sink("METS.xml")])


def test_the_s3_server_itself_refuses_an_overwrite(s3_endpoint, bucket):
    """Without the store's own check first, the conditional PUT is refused by the server."""
    from diarium.core.storage.s3io import S3Sink

    store = build("test", s3_options(s3_endpoint, bucket))
    store.write("k", io.BytesIO(b"first"))
    for size in (10, 12 << 20):  # one PUT, and a multipart upload
        sink = S3Sink(store, "k", check_first=False)
        with pytest.raises(AlreadyStored):
            pump(io.BytesIO(os.urandom(size)), [sink])
    assert store.open("k").read() == b"first"
