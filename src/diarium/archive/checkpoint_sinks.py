"""The e-archive keeps a copy of every audit checkpoint in each of its storage locations,
written once under `audit-checkpoints/` beside the AIPs: a database administrator who
rewrites the audit chain would also have to reach every archive copy (docs/audit.md)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from diarium.archive.storage import active_locations, store_for
from diarium.audit import checkpoints
from diarium.core.storage.base import Store

PREFIX = "audit-checkpoints/"


@dataclass(frozen=True)
class LocationSink:
    name: str
    store: Store

    def write_once(self, name: str, data: bytes) -> None:
        self.store.write(PREFIX + name, io.BytesIO(data))

    def read_all(self) -> Iterator[tuple[str, bytes]]:
        for listed in self.store.list(PREFIX):
            with self.store.open(listed.key) as stream:
                yield listed.key.removeprefix(PREFIX), stream.read()


def location_sinks() -> list[LocationSink]:
    return [LocationSink(f"archive:{row.name}", store_for(row).store)
            for row in active_locations()]


def register() -> None:
    checkpoints.register_sinks(location_sinks)
