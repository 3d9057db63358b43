"""One storage location on a file system.

    <root>/aip/<id[:2]>/<id>/        complete, verified AIPs: write-once and read-only
    <root>/.staging/<id>.<token>/    an AIP being written, renamed into aip/ when verified
    <root>/.damaged/<id>.<time>/     a damaged copy moved aside by a repair (kept as evidence)

Staging is inside the location so that the final rename is atomic (same file system): a
crash leaves either no folder for the package under aip/ or a complete one. Another kind of
location (an S3 bucket through django-storages) implements the same methods with a staging
prefix and a commit marker object."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.utils import timezone

from .durable import fsync_dir, list_tree, make_tree_read_only, remove_tree, sync_filesystem


class AlreadyStored(Exception):
    """The final folder exists: an AIP is never overwritten."""


class FilesystemStore:
    kind = "filesystem"

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"<FilesystemStore {self.name} {self.root}>"

    # -- layout ----------------------------------------------------------------------------
    def final_path(self, package_id) -> Path:
        key = str(package_id)
        return self.root / "aip" / key[:2] / key

    def file_path(self, package_id, relative: str) -> Path:
        return self.final_path(package_id) / relative

    def has_package(self, package_id) -> bool:
        return self.final_path(package_id).is_dir()

    def files(self, package_id) -> dict[str, int]:
        return list_tree(self.final_path(package_id))

    # -- writing ---------------------------------------------------------------------------
    def ensure(self) -> None:
        for folder in ("aip", ".staging", ".damaged"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)

    def new_staging(self, package_id) -> Path:
        self.ensure()
        path = self.root / ".staging" / f"{package_id}.{os.getpid()}.{secrets.token_hex(4)}"
        path.mkdir()
        return path

    def stagings(self, package_id) -> list[Path]:
        folder = self.root / ".staging"
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.name.startswith(f"{package_id}."))

    def discard_stagings(self, package_id) -> int:
        """Remove what an interrupted attempt left (the caller holds the package's lease)."""
        found = self.stagings(package_id)
        for path in found:
            remove_tree(path)
        return len(found)

    def discard(self, staging: Path) -> None:
        """Best effort: whatever stays behind is removed by the next attempt."""
        with contextlib.suppress(OSError):
            remove_tree(staging)

    def sync(self) -> None:
        sync_filesystem(self.root)

    def commit(self, staging: Path, package_id) -> Path:
        """Move a verified staging folder into place, atomically; then make it read-only."""
        final = self.final_path(package_id)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            raise AlreadyStored(str(final))
        # Files were made read-only while written; folders turn read-only now. A folder
        # moved to another parent must stay writable for the rename itself (its ".." entry).
        os.rename(staging, final)
        fsync_dir(final.parent)
        fsync_dir(staging.parent)
        make_tree_read_only(final)
        return final

    def quarantine(self, package_id) -> Path | None:
        """Move a damaged copy aside (never deleted by the system)."""
        final = self.final_path(package_id)
        if not final.exists():
            return None
        self.ensure()
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        target = self.root / ".damaged" / f"{package_id}.{stamp}"
        os.chmod(final, 0o700)
        os.rename(final, target)
        fsync_dir(final.parent)
        return target

    # -- disposal --------------------------------------------------------------------------
    def dispose(self, package_id) -> list[Path]:
        """Delete every folder the package has in this location: the AIP, leftovers of an
        interrupted ingest and damaged copies moved aside. Lawful disposal (gallring) is
        the only caller: the one path that deletes an AIP. Folders are made writable
        first; each removal is made durable by fsyncing the parent folder. Returns what
        was removed (nothing when the package is not here)."""
        targets = [self.final_path(package_id)]
        for folder in (".staging", ".damaged"):
            parent = self.root / folder
            if parent.is_dir():
                targets += sorted(p for p in parent.iterdir()
                                  if p.name.startswith(f"{package_id}."))
        removed = []
        for path in targets:
            if not path.exists():
                continue
            remove_tree(path)
            fsync_dir(path.parent)
            removed.append(path)
        return removed
