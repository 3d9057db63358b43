"""Where AIPs are kept: the configured storage locations (locations.py) and the AIPs in
each (aips.py), on any store of core.storage (local disk, S3)."""

from __future__ import annotations

from diarium.core.storage import AlreadyStored

from .aips import AipStore
from .locations import active_locations, store_for, sync_locations

__all__ = ["AipStore", "AlreadyStored", "active_locations", "store_for", "sync_locations"]
