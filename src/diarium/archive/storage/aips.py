"""AIPs in one storage location: each AIP is a group (core.storage) under
`aip/<id[:2]>/<id>`, written once, published only when every file is written, flushed and
verified, and never changed afterwards. A damaged copy is set aside (kept as evidence) when
its verified replacement is ready; only lawful disposal deletes."""

from __future__ import annotations

from diarium.core.storage import Group, Staging, Store


class AipStore:
    def __init__(self, name: str, store: Store) -> None:
        self.name = name
        self.store = store

    def __repr__(self) -> str:
        return f"<AipStore {self.name} {self.store!r}>"

    @staticmethod
    def prefix(package_id) -> str:
        key = str(package_id)
        return f"aip/{key[:2]}/{key}"

    def copy(self, package_id) -> Group | None:
        """The package's published copy here, or None."""
        return self.store.group(self.prefix(package_id))

    def has_package(self, package_id) -> bool:
        return self.copy(package_id) is not None

    def stage(self, package_id) -> Staging:
        return self.store.stage(self.prefix(package_id))

    def commit(self, staging: Staging) -> None:
        """Publish a verified staging (AlreadyStored when a copy is in place)."""
        staging.commit()

    def discard(self, staging: Staging) -> None:
        staging.discard()

    def discard_stagings(self, package_id) -> int:
        """Remove what an interrupted attempt left (the caller holds the package's lease)."""
        return self.store.discard_staged(self.prefix(package_id))

    def quarantine(self, package_id) -> str | None:
        """Set a damaged copy aside (never deleted by the system)."""
        return self.store.set_aside(self.prefix(package_id))

    def dispose(self, package_id, reason: str) -> list[str]:
        """Delete everything the package has here: the AIP, leftovers of an interrupted
        ingest and damaged copies set aside. Lawful disposal (gallring) is the only
        caller. Returns what was removed (nothing when the package is not here)."""
        return self.store.delete_group(self.prefix(package_id), reason=reason)

    def sync(self) -> None:
        self.store.flush()
