"""The source folder of make-sip, treated as untrusted: symbolic links and special files
are refused (a link could point anywhere outside the folder), every file must be described
by the metadata and every described file must be there. Files are later opened without
following links at any level (`SourceFiles`) and checked to be the very files that were
scanned (same device and inode)."""

from __future__ import annotations

import os
import stat
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .reading import Issue

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
OPEN_FOLDERS = 64  # folder descriptors kept open while files are copied


@dataclass(frozen=True, slots=True)
class Scanned:
    path: str  # NFC, as the metadata names it
    actual: str  # as the file system spells it
    device: int
    inode: int


class SourceChanged(RuntimeError):
    """A file changed between the check and the copy; nothing was written."""


def scan(root: Path) -> tuple[dict[str, Scanned], list[Issue]]:
    """Every regular file under root (by NFC relative path) and the problems found. The kind
    and inode of an entry come from the folder listing itself (no stat per file); the
    device from a stat per folder."""
    found: dict[str, Scanned] = {}
    issues: list[Issue] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        device = os.stat(folder, follow_symlinks=False).st_dev
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            actual = prefix + entry.name
            relative = unicodedata.normalize("NFC", actual)
            if relative == actual:
                relative = actual  # one string, not two equal ones
            if entry.is_symlink():
                issues.append(Issue(None, "path", _(
                    "%(p)s in the source folder is a symbolic link; links are not followed "
                    "(copy the file itself instead).") % {"p": relative}))
            elif entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{actual}/"))
            elif entry.is_file(follow_symlinks=False):
                found[relative] = Scanned(relative, actual, device, entry.inode())
            else:
                issues.append(Issue(None, "path", _(
                    "%(p)s in the source folder is not a regular file.") % {"p": relative}))
    return found, issues


def _changed(path: str) -> SourceChanged:
    return SourceChanged(_("%(p)s changed after it was checked.") % {"p": path})


class SourceFiles:
    """Opens scanned files below `root` one folder at a time with O_NOFOLLOW, so that no
    symbolic link is followed on the way, even one swapped in for a folder after the scan;
    each file must still be the one scanned (device, inode, size). Where the platform cannot
    open relative to a folder, the file's resolved path must lie inside root instead."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._relative = os.open in os.supports_dir_fd
        self._folders: OrderedDict[str, int] = OrderedDict()
        if self._relative:
            self._folders[""] = os.open(self.root, os.O_RDONLY | _DIRECTORY)
        else:
            self._real_root = self.root.resolve()

    def _folder(self, folder: str) -> int:
        fd = self._folders.get(folder)
        if fd is not None:
            self._folders.move_to_end(folder)
            return fd
        parent, _sep, name = folder.rpartition("/")
        parent_fd = self._folder(parent)
        try:
            fd = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=parent_fd)
        except OSError as exc:
            raise _changed(folder) from exc
        self._folders[folder] = fd
        while len(self._folders) > OPEN_FOLDERS:
            oldest = next(k for k in self._folders if k)
            os.close(self._folders.pop(oldest))
        return fd

    def open(self, item: Scanned) -> tuple[BinaryIO, float]:
        """The file, open for reading, and its modification time."""
        folder, _sep, name = item.actual.rpartition("/")
        try:
            if self._relative:
                fd = os.open(name, os.O_RDONLY | _NOFOLLOW, dir_fd=self._folder(folder))
            else:
                full = self.root / item.actual
                if not full.resolve().is_relative_to(self._real_root):
                    raise _changed(item.path)
                fd = os.open(full, os.O_RDONLY | _NOFOLLOW)
        except OSError as exc:
            raise _changed(item.path) from exc
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != (item.device,
                                                                            item.inode):
            os.close(fd)
            raise _changed(item.path)
        return os.fdopen(fd, "rb", buffering=0), info.st_mtime

    def close(self) -> None:
        while self._folders:
            os.close(self._folders.popitem()[1])

    def __enter__(self) -> SourceFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
