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

from diarium.documents.models import StoredFile

CHUNK = 1024 * 1024


class FileTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"file exceeds the upload limit of {limit} bytes")
        self.limit = limit


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
    if not default_storage.exists(candidate.storage_name):
        with open(tmp_path, "rb") as fh:
            default_storage.save(candidate.storage_name, File(fh))
    try:
        with transaction.atomic():
            candidate.save(force_insert=True)
            return candidate
    except IntegrityError:
        return StoredFile.objects.get(sha256=sha256)


def open_content(stored: StoredFile) -> BinaryIO:
    return default_storage.open(stored.storage_name, "rb")
