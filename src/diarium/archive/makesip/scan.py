"""The source folder of make-sip, treated as untrusted: symbolic links and special files
are refused (a link could point anywhere outside the folder), every file must be described
by the metadata and every described file must be there. Files are later opened without
following links and checked to be the very files that were scanned."""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .fields import FileMeta
from .reading import Issue


@dataclass(frozen=True)
class Scanned:
    path: str  # NFC, as the metadata names it
    actual: str  # as the file system spells it
    size: int
    mtime: float
    device: int
    inode: int


class SourceChanged(RuntimeError):
    """A file changed between the check and the copy; nothing was written."""


def scan(root: Path) -> tuple[dict[str, Scanned], list[Issue]]:
    """Every regular file under root (by NFC relative path) and the problems found."""
    found: dict[str, Scanned] = {}
    issues: list[Issue] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs + files):
            full = base / name
            relative = unicodedata.normalize("NFC", full.relative_to(root).as_posix())
            info = os.lstat(full)
            if stat.S_ISLNK(info.st_mode):
                issues.append(Issue(None, "path", _(
                    "%(p)s in the source folder is a symbolic link; links are not followed "
                    "(copy the file itself instead).") % {"p": relative}))
            elif stat.S_ISREG(info.st_mode):
                found[relative] = Scanned(relative, full.relative_to(root).as_posix(),
                                          info.st_size, info.st_mtime,
                                          info.st_dev, info.st_ino)
            elif not stat.S_ISDIR(info.st_mode):
                issues.append(Issue(None, "path", _(
                    "%(p)s in the source folder is not a regular file.") % {"p": relative}))
    return found, issues


def match(files: list[FileMeta], found: dict[str, Scanned]) -> list[Issue]:
    issues = []
    for meta in files:
        if meta.path not in found:
            issues.append(Issue(meta.row, "path", _(
                "%(p)s is not a file in the source folder.") % {"p": meta.path}))
    described = {m.path for m in files}
    for path in sorted(set(found) - described):
        issues.append(Issue(None, "path", _(
            "%(p)s is in the source folder but not in the metadata.") % {"p": path}))
    return issues


def open_scanned(root: Path, item: Scanned) -> BinaryIO:
    """Open the file without following links and make sure it is the one scanned."""
    full = root / item.actual
    real = full.resolve()
    if not real.is_relative_to(root.resolve()):
        raise SourceChanged(f"{item.path} now points outside the source folder")
    fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    info = os.fstat(fd)
    if (not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != (item.device,
                                                                         item.inode)
            or info.st_size != item.size):
        os.close(fd)
        raise SourceChanged(f"{item.path} changed after it was checked")
    return os.fdopen(fd, "rb")
