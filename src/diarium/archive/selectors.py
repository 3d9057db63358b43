"""Reads of the e-archive, permission-aware. Archivists (arkivarier) see the packages, series,
agreements, orders and deliveries of the archive creators of the authorities where they hold
the archivist role. Search for all staff is in finding.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from diarium.archive.models import (
    ArchiveCreator,
    ArchivedCase,
    ArchiveRecord,
    ArchiveSeries,
    Delivery,
    DipOrder,
    Package,
    PackageDescription,
    PackageState,
    SubmissionAgreement,
)
from diarium.core.visibility import Shown
from diarium.organisation.models import Role, User
from diarium.organisation.selectors import access_for

ARCHIVE_ROLES = frozenset({Role.ARCHIVIST})


def archivist_authorities(user: User) -> set:
    return access_for(user).authorities_with(ARCHIVE_ROLES)


def is_archivist(user: User) -> bool:
    return bool(user.is_authenticated and archivist_authorities(user))


def may_ingest(user: User, creator: ArchiveCreator) -> bool:
    return user.is_authenticated and access_for(user).has(creator.authority_id, ARCHIVE_ROLES)


def creators(user: User) -> QuerySet[ArchiveCreator]:
    return ArchiveCreator.objects.filter(authority_id__in=archivist_authorities(user))


def agreements(user: User) -> QuerySet[SubmissionAgreement]:
    return SubmissionAgreement.objects.select_related("creator").filter(
        creator__authority_id__in=archivist_authorities(user))


def packages(user: User) -> QuerySet[Package]:
    return Package.objects.select_related("creator", "agreement", "description").filter(
        creator__authority_id__in=archivist_authorities(user))


def package_detail(user: User, package_id) -> Package:
    """One package with what its page shows; DoesNotExist when the user may not see it."""
    return packages(user).get(pk=package_id)


def series(user: User) -> QuerySet[ArchiveSeries]:
    """The series of my archive creators, with how many archived packages each holds."""
    return ArchiveSeries.objects.select_related("creator").filter(
        creator__authority_id__in=archivist_authorities(user)).annotate(
        package_count=Count("packages", filter=Q(packages__package__state=PackageState.ARCHIVED)),
    ).order_by("creator__name", "code")


def series_choices(user: User) -> QuerySet[ArchiveSeries]:
    """The series of my archive creators as the search form offers them: by board, then
    classification code, with the board read along (its code names it in the label)."""
    return ArchiveSeries.objects.select_related("creator", "creator__authority").filter(
        creator__authority_id__in=archivist_authorities(user)).order_by(
        "creator__name", "creator__authority__code", "code")


def orders(user: User) -> QuerySet[DipOrder]:
    return DipOrder.objects.select_related(
        "package", "package__creator", "package__description", "ordered_by").filter(
        package__creator__authority_id__in=archivist_authorities(user))


def order_detail(user: User, order_id) -> DipOrder:
    return orders(user).get(pk=order_id)


def deliveries(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.select_related(
        "package", "package__creator", "package__description", "delivered_by", "order",
        "order__ordered_by").filter(
        package__creator__authority_id__in=archivist_authorities(user))


def delivery_detail(user: User, delivery_id) -> Delivery:
    return deliveries(user).get(pk=delivery_id)


def package_records(package: Package) -> QuerySet[ArchiveRecord]:
    return package.records.all()


def archived_versions(case_ids: Iterable) -> QuerySet[ArchivedCase]:
    """Where the given cases are archived (the caller has decided the user may read them)."""
    return ArchivedCase.objects.filter(case_id__in=list(case_ids)).select_related(
        "package", "package__creator").order_by("case_id", "-version")


def package_cases(packages: Iterable[Package]) -> dict:
    """The registry case each package holds (the newest archived version's), by package
    id, in one query; packages that hold none are left out. The caller decides what of
    each case the viewer may see (diarium.archive.naming)."""
    found: dict = {}
    links = ArchivedCase.objects.filter(package_id__in=[p.pk for p in packages]).select_related(
        "case").order_by("package_id", "-version")
    for link in links:
        found.setdefault(link.package_id, link.case)
    return found


def unclassified(user: User) -> QuerySet:
    """Per archive creator, how many archived packages belong to no series."""
    return (packages(user).filter(state=PackageState.ARCHIVED, description__series__isnull=True)
            .values("creator_id").annotate(count=Count("id")).order_by())


def restricted_shown(packages: Iterable[Package],
                     records: Iterable[ArchiveRecord] = ()) -> list[Shown]:
    """What a page shows of secret (restricted) archive content, for the visibility
    policy's audit (`page.note(...)`): the restricted packages among packages (one not yet
    described counts as restricted), and the restricted records among records (each of
    one of the packages)."""
    chains = {p.pk: f"authority:{p.creator.authority_id}" for p in packages}
    items = [Shown(chains[p.pk], "archive.package", str(p.pk)) for p in packages
             if _restricted(p)]
    items += [Shown(chains[r.package_id], "archive.archiverecord", str(r.pk)) for r in records
              if r.restricted]
    return items


def _restricted(package: Package) -> bool:
    try:
        return package.description.restricted
    except PackageDescription.DoesNotExist:
        return True
