"""An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, …) as a store, through boto3.

    <base><key>                                objects
    <base><prefix>/published                   a group's marker: names its generation
    <base><prefix>/<generation>/<relative>     a group's objects, one folder per attempt
    <base><prefix>/set-aside-<time>            a generation set aside (kept as evidence)

(<base> is the location's `prefix` option.) Object storage has no rename, so a group is
written under a fresh generation and published by one conditional PUT of its marker: until
then nothing under the prefix is visible, and a second publisher is refused by the server.
Setting a group aside moves the marker, not the bytes. A PUT is durable when it returns, so
`flush` has nothing to do; `verify` reads the object back from the server with a GET."""

from __future__ import annotations

import contextlib
import io
import secrets
from collections.abc import Iterator
from typing import BinaryIO

from django.utils import timezone

from .base import (
    AlreadyStored,
    Group,
    Listed,
    NotStored,
    Staging,
    Store,
    Written,
    check_key,
    deleting,
)
from .s3io import S3Reader, S3Sink, translated
from .streams import CHUNK, Throttle, hash_stream

PUBLISHED = "published"
SET_ASIDE = "set-aside-"
DEFAULT_PART_SIZE = 8 << 20
MIN_PART_SIZE = 5 << 20  # S3's minimum for every part but the last


def make_client(options: dict):
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        profile_name=options.get("profile"),
        aws_access_key_id=options.get("access_key_id"),
        aws_secret_access_key=options.get("secret_access_key"),
        aws_session_token=options.get("session_token"))
    config = Config(
        region_name=options.get("region"), retries={"max_attempts": 5, "mode": "standard"},
        s3={"addressing_style": options.get("addressing_style", "auto")},
        request_checksum_calculation=options.get("checksums", "when_supported"),
        response_checksum_validation=options.get("checksums", "when_supported"),
        max_pool_connections=int(options.get("connections", 10)))
    return session.client("s3", endpoint_url=options.get("endpoint_url"),
                          verify=options.get("verify_tls", True), config=config)


class S3Store(Store):
    kind = "s3"

    def __init__(self, name: str, options: dict, client=None) -> None:
        self.name = name
        self.bucket = str(options["bucket"])
        base = str(options.get("prefix") or "").strip("/")
        self.base = f"{base}/" if base else ""
        self.part_size = max(MIN_PART_SIZE, int(options.get("part_size", DEFAULT_PART_SIZE)))
        self.conditional = bool(options.get("conditional_writes", True))
        self.client = client or make_client(options)

    def __repr__(self) -> str:
        return f"<S3Store {self.name} s3://{self.bucket}/{self.base}>"

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.base}"

    def full_key(self, key: str) -> str:
        return self.base + key

    def condition(self) -> dict:
        return {"IfNoneMatch": "*"} if self.conditional else {}

    # -- objects ---------------------------------------------------------------------------
    def _open_full(self, full: str, key: str) -> BinaryIO:
        with translated(key):
            body = self.client.get_object(Bucket=self.bucket, Key=full)["Body"]
        return io.BufferedReader(S3Reader(body, key), buffer_size=CHUNK)

    def _size_full(self, full: str, key: str) -> int:
        with translated(key):
            return int(self.client.head_object(Bucket=self.bucket, Key=full)["ContentLength"])

    def _verify_full(self, full: str, key: str, throttle: Throttle | None) -> Written:
        with self._open_full(full, key) as stream:
            return hash_stream(stream, throttle)

    def _list_full(self, prefix: str, delimiter: str = "") -> Iterator[dict]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix, **({"Delimiter": delimiter} if delimiter else {}))
        with translated(prefix or "/"):
            yield from pages

    def _delete_prefix(self, prefix: str) -> int:
        """Delete every object under a prefix, a thousand per request."""
        count = 0
        batch: list[dict] = []
        for page in self._list_full(prefix):
            for item in page.get("Contents", []):
                batch.append({"Key": item["Key"]})
                if len(batch) == 1000:
                    count += self._delete_batch(batch)
                    batch = []
        return count + (self._delete_batch(batch) if batch else 0)

    def _delete_batch(self, batch: list[dict]) -> int:
        with translated(batch[0]["Key"]):
            answer = self.client.delete_objects(Bucket=self.bucket,
                                                Delete={"Objects": batch, "Quiet": True})
        if answer.get("Errors"):
            first = answer["Errors"][0]
            raise OSError(f"{first.get('Key')}: {first.get('Code')} {first.get('Message')}")
        return len(batch)

    def open(self, key: str) -> BinaryIO:
        return self._open_full(self.full_key(check_key(key)), key)

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except NotStored:
            return False
        return True

    def size(self, key: str) -> int:
        return self._size_full(self.full_key(check_key(key)), key)

    def list(self, prefix: str = "") -> Iterator[Listed]:
        if prefix and not prefix.endswith("/"):
            raise ValueError("list a folder: the prefix ends with '/'")
        for page in self._list_full(self.full_key(check_key(prefix[:-1]) + "/" if prefix
                                                  else "")):
            for item in page.get("Contents", []):
                yield Listed(item["Key"][len(self.base):], int(item["Size"]))

    def verify(self, key: str, throttle: Throttle | None = None) -> Written:
        return self._verify_full(self.full_key(check_key(key)), key, throttle)

    def sink(self, key: str) -> S3Sink:
        return S3Sink(self, check_key(key), check_first=True)

    def delete(self, key: str, *, reason: str) -> bool:
        if not self.exists(key):
            return False
        deleting(self.name, key, reason)
        with translated(key):
            self.client.delete_object(Bucket=self.bucket, Key=self.full_key(key))
        return True

    # -- groups ----------------------------------------------------------------------------
    def _folder(self, prefix: str) -> str:
        return self.full_key(check_key(prefix)) + "/"

    def _marker(self, key: str) -> str | None:
        try:
            with self._open_full(key, key) as stream:
                return stream.read(200).decode("ascii", "replace").strip()
        except NotStored:
            return None

    def _in_use(self, prefix: str) -> set[str]:
        """The generations the published marker and the set-aside markers name."""
        folder = self._folder(prefix)
        names = set()
        for page in self._list_full(folder, "/"):
            for item in page.get("Contents", []):
                name = item["Key"][len(folder):]
                if name == PUBLISHED or name.startswith(SET_ASIDE):
                    names.add(self._marker(item["Key"]))
        return {n for n in names if n}

    def group(self, prefix: str) -> S3Group | None:
        generation = self._marker(self._folder(prefix) + PUBLISHED)
        return S3Group(self, prefix, generation) if generation else None

    def stage(self, prefix: str) -> S3Staging:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        return S3Staging(self, prefix, f"g{stamp}-{secrets.token_hex(4)}")

    def discard_staged(self, prefix: str) -> int:
        folder = self._folder(prefix)
        in_use = self._in_use(prefix)
        stale = []
        for page in self._list_full(folder, "/"):
            for common in page.get("CommonPrefixes", []):
                generation = common["Prefix"][len(folder):].rstrip("/")
                if generation not in in_use:
                    stale.append(common["Prefix"])
        for stray in stale:
            self._delete_prefix(stray)
        return len(stale)

    def set_aside(self, prefix: str) -> str | None:
        folder = self._folder(prefix)
        generation = self._marker(folder + PUBLISHED)
        if generation is None:
            return None
        aside = f"{SET_ASIDE}{timezone.now():%Y%m%dT%H%M%S%f}"
        with translated(prefix):
            self.client.put_object(Bucket=self.bucket, Key=folder + aside,
                                   Body=generation.encode(), **self.condition())
            self.client.delete_object(Bucket=self.bucket, Key=folder + PUBLISHED)
        return f"{prefix}/{aside} ({generation})"

    def delete_group(self, prefix: str, *, reason: str) -> list[str]:
        deleting(self.name, f"{prefix} (every generation and marker)", reason)
        folder = self._folder(prefix)
        generations = sorted(
            common["Prefix"][len(self.base):]
            for page in self._list_full(folder, "/") for common in page.get("CommonPrefixes", []))
        removed = self._delete_prefix(folder)
        return generations or ([prefix] if removed else [])

    def flush(self) -> None:
        """Nothing to do: an object is durable when its PUT returns."""


class S3Group(Group):
    def __init__(self, store: S3Store, prefix: str, generation: str) -> None:
        self.store = store
        self.prefix = prefix
        self.generation = generation
        self.folder = f"{store._folder(prefix)}{generation}/"

    def _full(self, relative: str) -> str:
        return self.folder + check_key(relative)

    def open(self, relative: str) -> BinaryIO:
        return self.store._open_full(self._full(relative), relative)

    def size(self, relative: str) -> int:
        return self.store._size_full(self._full(relative), relative)

    def list(self) -> Iterator[Listed]:
        for page in self.store._list_full(self.folder):
            for item in page.get("Contents", []):
                yield Listed(item["Key"][len(self.folder):], int(item["Size"]))

    def verify(self, relative: str, throttle: Throttle | None = None) -> Written:
        return self.store._verify_full(self._full(relative), relative, throttle)


class S3Staging(S3Group, Staging):
    committed = False

    def sink(self, relative: str) -> S3Sink:
        # A fresh generation: nothing can be in the way, so no HEAD before each object.
        return S3Sink(self.store, self.folder[len(self.store.base):] + check_key(relative),
                      check_first=False)

    def commit(self) -> None:
        marker = self.store._folder(self.prefix) + PUBLISHED
        if self.store._marker(marker) is not None:
            raise AlreadyStored(self.prefix)
        with translated(self.prefix):
            self.store.client.put_object(Bucket=self.store.bucket, Key=marker,
                                         Body=self.generation.encode(),
                                         **self.store.condition())
        self.committed = True

    def discard(self) -> None:
        if self.committed:
            return  # published: only disposal deletes it
        with contextlib.suppress(OSError):  # else discard_staged removes it next time
            self.store._delete_prefix(self.folder)
