"""Storage by key (see base.py): one interface for the file store and the archive's
storage locations, with a local-disk and an S3-compatible implementation."""

from .base import (
    AlreadyStored,
    Group,
    Listed,
    NotStored,
    Sink,
    Staging,
    StorageFailed,
    Store,
    Written,
    check_key,
)
from .config import public_options, store_for, where
from .streams import Throttle, pump, seekable

__all__ = ["AlreadyStored", "Group", "Listed", "NotStored", "Sink", "Staging",
           "StorageFailed", "Store", "Throttle", "Written", "check_key", "public_options",
           "pump", "seekable", "store_for", "where"]
