"""The configured storage locations and their rows.

`active_locations` only reads. `sync_locations` is the step that mirrors the configuration
(DIARIUM_ARCHIVE_LOCATIONS) into StorageLocation rows; the services that write copies
(ingest, the fixity audit) run it first. A row no longer configured is kept, inactive,
because copies refer to it; its store is then made from the row (kind, where, options
without credentials), so a disposal can still delete from it."""

from __future__ import annotations

from diarium.archive.conf import LocationConfig, configured_locations
from diarium.archive.models import StorageLocation
from diarium.core.storage import public_options
from diarium.core.storage import store_for as core_store

from .aips import AipStore


def _row_fields(config: LocationConfig) -> dict:
    return {"kind": config.kind, "path": config.path,
            "options": public_options(config.options), "active": True}


def sync_locations() -> list[StorageLocation]:
    """Create or update a row per configured location, mark the others inactive; returns
    the configured locations' rows in configuration order."""
    configured = configured_locations()
    rows = []
    for config in configured:
        fields = _row_fields(config)
        row, _ = StorageLocation.objects.get_or_create(name=config.name, defaults=fields)
        if any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=list(fields))
        rows.append(row)
    StorageLocation.objects.exclude(name__in=[c.name for c in configured]).filter(
        active=True).update(active=False)
    return rows


def active_locations() -> list[StorageLocation]:
    """The rows of the configured locations, in configuration order (a pure read: a
    location configured since the last sync is not among them until it is synced)."""
    names = [config.name for config in configured_locations()]
    rows = {row.name: row for row in StorageLocation.objects.filter(name__in=names,
                                                                      active=True)}
    return [rows[name] for name in names if name in rows]


def store_for(location: StorageLocation) -> AipStore:
    configured = {config.name: config for config in configured_locations()}
    config = configured.get(location.name)
    if config is not None:
        options = config.options
    elif location.kind == "filesystem":
        options = {"kind": "filesystem", "path": location.path}
    else:
        options = {"kind": location.kind, **location.options}
    return AipStore(location.name, core_store(location.name, options))
