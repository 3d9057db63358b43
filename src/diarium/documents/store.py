"""The file store: where document content lives, as one store of core.storage (the local
disk under DIARIUM_DATA_DIR/files by default, or an S3-compatible bucket), configured by
the FILE_STORE setting (DIARIUM_FILE_STORE, docs/configuration.md)."""

from __future__ import annotations

from django.conf import settings

from diarium.core.storage import Store, store_for

NAME = "files"


def file_store() -> Store:
    return store_for(NAME, settings.FILE_STORE)
