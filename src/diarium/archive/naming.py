"""How the archive's pages name a package: a package that holds a registry case by the
case's diary number and title, any other by its description's title or its label; the
package id stays beside it as a detail.

Rule kept: a secret case's title is shown only to those the visibility policy lets read
the case's content (its access group); everyone else sees its public title, or that it is
secrecy marked. The decision is the policy page's (`readable_cases`), which also audits the
secret titles it lets the page show. The names of a whole page are made with two queries
at most (the packages' cases, and which secret ones the viewer may read), never one per
package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from diarium.archive import selectors
from diarium.archive.models import Package, PackageDescription


@dataclass(frozen=True)
class PackageName:
    """What a list shows for a package. diary_number: the case's ("" for a package that
    holds no registry case); title: what this viewer may read; withheld: the case is
    secret and the viewer not in its access group, so title is its public title (or
    empty) and the page says the case is secrecy marked."""

    diary_number: str
    title: str
    withheld: bool = False

    def __str__(self) -> str:
        return " ".join(part for part in (self.diary_number, self.title) if part)


def name_packages(shown, packages: Iterable[Package]) -> None:
    """Set `.shown_name` (a PackageName) on each package. shown: the visibility policy's
    page of the request (`visibility.policy_for(user).page(view)`)."""
    packages = [p for p in packages if p is not None]
    cases = selectors.package_cases(packages)
    readable = shown.readable_cases(list(cases.values())) if cases else set()
    for package in packages:
        case = cases.get(package.pk)
        if case is None:
            package.shown_name = PackageName("", _own_title(package))
        elif case.pk in readable:
            package.shown_name = PackageName(case.diary_number, case.title)
        else:
            package.shown_name = PackageName(case.diary_number, case.public_title,
                                             withheld=True)


def _own_title(package: Package) -> str:
    """A package without a registry case: its description's title, its label, else its
    producer's package id (or file name)."""
    try:
        described = package.description.title
    except PackageDescription.DoesNotExist:
        described = ""
    return described or package.label or package.objid or package.name
