"""Limits that keep a hostile package from exhausting memory, disk or time.

Set by environment variables (documented in docs/archive-validation.md)."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_mets_bytes: int = int(os.environ.get("DIARIUM_ARCHIVE_MAX_METS_BYTES", 256 << 20))
    max_file_bytes: int = int(os.environ.get("DIARIUM_ARCHIVE_MAX_FILE_BYTES", 1 << 40))
    max_members: int = int(os.environ.get("DIARIUM_ARCHIVE_MAX_MEMBERS", 2_000_000))


LIMITS = Limits()
