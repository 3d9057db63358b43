"""Storing file content. Content is streamed to a temporary file while it is hashed (its
key is its SHA-256, known only at the end), then written once into the file store under
that key, which makes it durable before it returns (a crash never leaves a partial object
under a real key) and refuses to overwrite; the new object is read back from the store and
must hash the same. The same bytes are stored once however often they are uploaded."""

import hashlib
import mimetypes
import tempfile
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction

from diarium.core.errors import TooLarge
from diarium.core.storage import AlreadyStored, StorageFailed
from diarium.documents.models import StoredFile
from diarium.documents.store import file_store

CHUNK = 1024 * 1024


class FileTooLarge(TooLarge):
    """A file over the upload limit (DIARIUM_MAX_UPLOAD_BYTES)."""


def guess_mime_type(name: str, declared: str | None = None) -> str:
    guessed, _ = mimetypes.guess_type(name)
    return guessed or declared or "application/octet-stream"


def store_content(stream: BinaryIO, *, mime_type: str, limit: int | None = None) -> StoredFile:
    """Hash and store a stream of bytes; return its StoredFile (existing or new)."""
    limit = settings.MAX_UPLOAD_BYTES if limit is None else limit
    digest, size = hashlib.sha256(), 0
    with tempfile.TemporaryFile(dir=_tmp_dir()) as tmp:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise FileTooLarge(limit)
            digest.update(chunk)
            tmp.write(chunk)
        return _register(digest.hexdigest(), size, mime_type, tmp)


def _tmp_dir() -> str:
    path = settings.DATA_DIR / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def _register(sha256: str, size: int, mime_type: str, tmp: BinaryIO) -> StoredFile:
    candidate = StoredFile(sha256=sha256, size=size, mime_type=mime_type)
    _write_missing(candidate, tmp)
    try:
        with transaction.atomic():
            candidate.save(force_insert=True)
            return candidate
    except IntegrityError:
        pass
    with transaction.atomic():
        stored = StoredFile.objects.select_for_update().get(sha256=sha256)
        if stored.content_removed_at is not None:
            # The same bytes were disposed of with other records; they are in use again
            # (written again, under the row's lock, in case the removal came in between).
            _write_missing(stored, tmp)
            stored.content_removed_at = None
            stored.save(update_fields=["content_removed_at"])
        return stored


def _write_missing(stored: StoredFile, tmp: BinaryIO) -> None:
    store, key = file_store(), stored.storage_name
    if store.exists(key):
        return
    tmp.seek(0)
    try:
        written = store.write(key, tmp)
    except AlreadyStored:
        return  # stored by a concurrent upload of the same bytes
    read_back = store.verify(key)
    if not written.sha256 == read_back.sha256 == stored.sha256 or read_back.size != stored.size:
        store.delete(key, reason="it did not read back as written")
        raise StorageFailed(f"{key}: the stored object does not read back as written")


def open_content(stored: StoredFile) -> BinaryIO:
    """The content as a stream (read it in chunks; it may be large)."""
    return file_store().open(stored.storage_name)
