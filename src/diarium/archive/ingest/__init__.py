"""Ingest: a delivered SIP becomes an AIP stored in every storage location."""

from .claiming import IngestBusy
from .service import ingest_package

__all__ = ["IngestBusy", "ingest_package"]
