"""The catalogue: what each archived package holds, derived from its AIP after ingest
(series, description, records from the ERMS metadata) and indexed for search. See
docs/archive.md, "Search"."""

from .describe import after_ingest, describe_package
from .indexing import KIND, index_package

__all__ = ["KIND", "after_ingest", "describe_package", "index_package"]
