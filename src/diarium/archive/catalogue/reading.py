"""Reading an archived package's files from a verified copy, in whichever store it is:
streams by path inside the AIP, never a location's own paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from diarium.archive.models import GOOD_COPY_STATES, Package, StorageCopy
from diarium.archive.storage import store_for
from diarium.core.storage import Group, NotStored, check_key


class NoGoodCopy(RuntimeError):
    """No storage location holds a verified copy of the package."""


@dataclass(frozen=True)
class PackageCopy:
    name: str  # the location's
    group: Group

    def open(self, relative: str) -> BinaryIO:
        """A file of the AIP; ValueError for a path that would leave it."""
        return self.group.open(check_key(relative))

    def size(self, relative: str) -> int | None:
        """The file's size, or None when the AIP has no such file."""
        try:
            return self.group.size(check_key(relative))
        except NotStored:
            return None


def good_copies(package: Package) -> list[PackageCopy]:
    """The verified copies of the package that are in place, in location order."""
    copies = (StorageCopy.objects.filter(package=package, state__in=GOOD_COPY_STATES,
                                         location__active=True)
              .select_related("location").order_by("location__name"))
    found = []
    for copy in copies:
        group = store_for(copy.location).copy(package.id)
        if group is not None:
            found.append(PackageCopy(copy.location.name, group))
    if not found:
        raise NoGoodCopy(f"no verified copy of package {package.pk} is in place")
    return found
