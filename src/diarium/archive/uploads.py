"""Packages arriving over HTTP: an upload is spooled to the archive's upload folder, where
the ingest job reads it (and removes it once the package is archived or rejected); a
server-side path must lie inside the inbox folder, so an archivist cannot make the server
read anything else."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from diarium.archive.conf import inbox_dir, upload_dir

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip("._") or "package"
    return cleaned[:200]


def persisted(upload: UploadedFile, root: Path | None = None) -> Path:
    """Write the upload into a folder of its own under the upload folder; its path."""
    folder = (root or upload_dir()) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    target = folder / safe_name(upload.name or "package.zip")
    try:
        with target.open("wb") as out:
            for chunk in upload.chunks(1 << 20):
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


@contextmanager
def spooled(upload: UploadedFile) -> Iterator[Path]:
    """The upload on disk while the block runs, removed afterwards."""
    target = persisted(upload)
    try:
        yield target
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)


def inbox_path(relative: str) -> Path:
    """A package named relative to the inbox folder; ValidationError when it is outside."""
    root = inbox_dir().resolve()
    candidate = (root / relative.lstrip("/")).resolve()
    if not candidate.is_relative_to(root) or candidate == root:
        raise ValidationError({"path": _("The path must name a package in the inbox folder.")})
    if not candidate.exists():
        raise ValidationError({"path": _("There is no such package in the inbox folder.")})
    return candidate
