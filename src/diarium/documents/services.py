"""Storing file content. Content is streamed to a temporary file while it is hashed,
then moved into place under its hash: a crash never leaves a partial file under a real name,
and the same bytes are stored once however often they are uploaded."""

import hashlib
import mimetypes
import os
import tempfile
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from diarium.core.errors import TooLarge
from diarium.documents.models import StoredFile

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
    with tempfile.NamedTemporaryFile(dir=_tmp_dir(), delete=False) as tmp:
        try:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FileTooLarge(limit)
                digest.update(chunk)
                tmp.write(chunk)
            tmp.flush()
            os.fsync(tmp.fileno())
            stored = _register(digest.hexdigest(), size, mime_type, tmp.name)
        finally:
            if os.path.exists(tmp.name):
                os.unlink(tmp.name)
    return stored


def _tmp_dir() -> str:
    path = settings.DATA_DIR / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def _register(sha256: str, size: int, mime_type: str, tmp_path: str) -> StoredFile:
    candidate = StoredFile(sha256=sha256, size=size, mime_type=mime_type)
    _write_missing(candidate.storage_name, tmp_path)
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
            _write_missing(stored.storage_name, tmp_path)
            stored.content_removed_at = None
            stored.save(update_fields=["content_removed_at"])
        return stored


def _write_missing(name: str, tmp_path: str) -> None:
    if not default_storage.exists(name):
        with open(tmp_path, "rb") as fh:
            default_storage.save(name, File(fh))


def open_content(stored: StoredFile) -> BinaryIO:
    return default_storage.open(stored.storage_name, "rb")
