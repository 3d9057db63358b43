"""The byte paths of the S3 store: a sink that uploads one object while it is written (one
PUT for a small object, a multipart upload in parts of `part_size` for a large one, so at
most one part is held in memory) and a reader over a GET's body. Every write is
conditional (`If-None-Match: *`), so the server itself refuses to overwrite where it
supports conditional writes; failures become OSErrors (NotStored, AlreadyStored,
StorageFailed) like a local disk's."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

from botocore.exceptions import BotoCoreError, ClientError

from .base import AlreadyStored, NotStored, StorageFailed

MISSING = {"NoSuchKey", "404", "NotFound", "NoSuchUpload"}
TAKEN = {"PreconditionFailed", "412", "ConditionalRequestConflict"}
MAX_PARTS = 10_000


@contextlib.contextmanager
def translated(where: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in MISSING:
            raise NotStored(where) from exc
        if code in TAKEN:
            raise AlreadyStored(where) from exc
        raise StorageFailed(f"{where}: {exc}") from exc
    except BotoCoreError as exc:
        raise StorageFailed(f"{where}: {exc}") from exc


class S3Reader(io.RawIOBase):
    """A GET's body as a raw stream (wrap it in a BufferedReader)."""

    def __init__(self, body, where: str) -> None:
        self.body = body
        self.where = where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        with translated(self.where):
            return self.body.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self.body.close()
        super().close()


class S3Sink:
    """One object. Bytes are gathered up to `part_size`: an object that ends before is one
    conditional PUT; a larger one becomes a multipart upload completed conditionally on
    close (parts grow by `part_size` every 1,000 parts, within S3's 10,000-part limit)."""

    def __init__(self, store, key: str, *, check_first: bool) -> None:
        self.store = store
        self.key = key
        self.full = store.full_key(key)
        if check_first and store.exists(key):
            raise AlreadyStored(key)
        self.buffer = bytearray()
        self.upload_id: str | None = None
        self.parts: list[dict] = []
        self.done = False

    def _limit(self) -> int:
        return self.store.part_size * (1 + len(self.parts) // 1000)

    def write(self, data: memoryview) -> None:
        self.buffer += data
        if len(self.buffer) >= self._limit():
            self._send_part()

    def _send_part(self) -> None:
        client, bucket = self.store.client, self.store.bucket
        with translated(self.key):
            if self.upload_id is None:
                self.upload_id = client.create_multipart_upload(
                    Bucket=bucket, Key=self.full)["UploadId"]
            number = len(self.parts) + 1
            if number > MAX_PARTS:
                raise StorageFailed(f"{self.key}: more than {MAX_PARTS} parts")
            body = bytes(self.buffer)
            self.buffer = bytearray()
            answer = client.upload_part(Bucket=bucket, Key=self.full, PartNumber=number,
                                        UploadId=self.upload_id, Body=body)
        self.parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    def close(self) -> None:
        client, bucket = self.store.client, self.store.bucket
        condition = self.store.condition()
        if self.upload_id is None:
            body = bytes(self.buffer)
            self.buffer = bytearray()
            with translated(self.key):
                client.put_object(Bucket=bucket, Key=self.full, Body=body, **condition)
        else:
            if self.buffer:
                self._send_part()
            with translated(self.key):
                client.complete_multipart_upload(
                    Bucket=bucket, Key=self.full, UploadId=self.upload_id,
                    MultipartUpload={"Parts": self.parts}, **condition)
        self.done = True

    def abort(self) -> None:
        self.buffer = bytearray()
        if self.done or self.upload_id is None:
            return
        with contextlib.suppress(ClientError, BotoCoreError):
            self.store.client.abort_multipart_upload(
                Bucket=self.store.bucket, Key=self.full, UploadId=self.upload_id)
        self.upload_id = None
