"""Reading an archived package's files from a verified copy."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from diarium.archive.models import GOOD_COPY_STATES, Package, StorageCopy
from diarium.archive.storage import FilesystemStore, store_for


class NoGoodCopy(RuntimeError):
    """No storage location holds a verified copy of the package."""


def good_stores(package: Package) -> list[FilesystemStore]:
    """The stores holding a verified copy of the package, in location order."""
    copies = (StorageCopy.objects.filter(package=package, state__in=GOOD_COPY_STATES,
                                         location__active=True)
              .select_related("location").order_by("location__name"))
    stores = [store_for(c.location) for c in copies]
    found = [s for s in stores if s.has_package(package.id)]
    if not found:
        raise NoGoodCopy(f"no verified copy of package {package.pk} is in place")
    return found


def aip_path(store: FilesystemStore, package: Package, relative: str) -> Path:
    """A file of the package in this store; refuses paths that would leave the AIP."""
    root = store.final_path(package.id).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise ValueError(f"{relative!r} is not a path inside the AIP")
    return target


def open_aip_file(store: FilesystemStore, package: Package, relative: str) -> BinaryIO:
    return aip_path(store, package, relative).open("rb")
