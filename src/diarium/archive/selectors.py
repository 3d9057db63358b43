"""Reads of the e-archive, permission-aware. Archivists (arkivarier) see the packages of the
archive creators of the authorities where they hold the archivist role."""

from __future__ import annotations

from django.db.models import QuerySet

from diarium.archive.models import ArchiveCreator, Package, SubmissionAgreement
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
    return Package.objects.select_related("creator", "agreement").filter(
        creator__authority_id__in=archivist_authorities(user))


def package_detail(user: User, package_id) -> Package:
    """One package with what its page shows; DoesNotExist when the user may not see it."""
    return packages(user).get(pk=package_id)
