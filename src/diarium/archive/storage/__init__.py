"""Where AIPs are kept: the configured storage locations and their on-disk layout."""

from __future__ import annotations

from pathlib import Path

from diarium.archive.conf import configured_locations
from diarium.archive.models import StorageLocation

from .filesystem import AlreadyStored, FilesystemStore

__all__ = ["AlreadyStored", "FilesystemStore", "active_locations", "store_for"]


def active_locations() -> list[StorageLocation]:
    """The configured locations as rows (created or updated from the configuration); rows
    no longer configured are kept, inactive, because copies refer to them."""
    configured = configured_locations()
    rows = []
    for config in configured:
        row, _ = StorageLocation.objects.get_or_create(
            name=config.name, defaults={"kind": config.kind, "path": str(config.path),
                                        "options": config.options})
        if (row.kind, row.path, row.options, row.active) != (
                config.kind, str(config.path), config.options, True):
            row.kind, row.path, row.options, row.active = (
                config.kind, str(config.path), config.options, True)
            row.save(update_fields=["kind", "path", "options", "active"])
        rows.append(row)
    StorageLocation.objects.exclude(name__in=[c.name for c in configured]).filter(
        active=True).update(active=False)
    return rows


def store_for(location: StorageLocation) -> FilesystemStore:
    return FilesystemStore(location.name, Path(location.path))
