"""Searching the archive, permission-aware and secrecy-aware (every read of the catalogue
for search goes through here).

Rules:
- Archivists of an authority find every archived package of its archive creator, and the
  text of restricted (secret) records and files in them.
- Other staff of the authority find its packages that carry no restriction as a whole,
  and only by what is not restricted: restricted records and their files' text do not
  exist for them. Packages not yet described (indexed) count as restricted.
- Nobody finds another authority's packages."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from diarium.archive.catalogue.indexing import KIND
from diarium.archive.models import AIPFile, ArchiveRecord, Package, PackageState
from diarium.archive.selectors import archivist_authorities
from diarium.organisation.models import Role, User
from diarium.organisation.selectors import access_for
from diarium.search import backends as search

MAX_HITS = 20  # records and files shown per package


@dataclass
class ArchiveQuery:
    """The archive search form's criteria; every field optional."""

    text: str = ""
    reference: str = ""  # a diary number (KS 2026/42, or KS 2026/42:3) or package id
    creator: uuid.UUID | None = None
    series: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Hits:
    records: list[ArchiveRecord] = field(default_factory=list)
    files: list[AIPFile] = field(default_factory=list)


def may_search(user: User) -> bool:
    return bool(user.is_authenticated and access_for(user).is_staff_member)


def _staff_authorities(user: User) -> set:
    """The authorities where the user holds any role (every one for a superuser)."""
    return access_for(user).authorities_with(Role.values)


def findable_packages(user: User) -> QuerySet[Package]:
    if not may_search(user):
        return Package.objects.none()
    archivist = archivist_authorities(user)
    staff = _staff_authorities(user)
    return Package.objects.filter(state=PackageState.ARCHIVED).select_related(
        "creator", "agreement", "description", "description__series",
    ).filter(Q(creator__authority_id__in=archivist)
             | (Q(creator__authority_id__in=staff) & Q(description__restriction="")))


def search_packages(user: User, query: ArchiveQuery) -> QuerySet[Package]:
    qs = findable_packages(user)
    if query.reference:
        qs = qs.filter(_reference_q(query.reference))
    if query.creator:
        qs = qs.filter(creator_id=query.creator)
    if query.series:
        qs = qs.filter(description__series_id=query.series)
    if query.date_from:
        qs = qs.filter(Q(description__end_date__gte=query.date_from)
                       | Q(description__end_date__isnull=True))
    if query.date_to:
        qs = qs.filter(Q(description__start_date__lte=query.date_to)
                       | Q(description__start_date__isnull=True))
    if query.text:
        public = search.matching_owner_ids(query.text, kind=KIND, secret=False)
        if public is not None:
            secret = search.matching_owner_ids(query.text, kind=KIND, secret=True)
            archivist = archivist_authorities(user)
            qs = qs.filter(Q(id__in=public)
                           | (Q(id__in=secret) & Q(creator__authority_id__in=archivist)))
    return qs.order_by("-archived_at")


def _reference_q(value: str) -> Q:
    """Exactly the package (or case) named; a document number names its case's package."""
    value = " ".join(value.split())
    number = value.upper().split(":", 1)[0]
    return (Q(description__reference=number) | Q(description__reference=value)
            | Q(objid=value))


def hits(user: User, text: str, packages: list[Package]) -> dict[uuid.UUID, Hits]:
    """The records and files of each package that match text and that the user may find."""
    found: dict[uuid.UUID, Hits] = {p.pk: Hits() for p in packages}
    if not text.strip() or not packages:
        return found
    archivist = archivist_authorities(user)
    full = [p.pk for p in packages if p.creator.authority_id in archivist]
    limited = [p.pk for p in packages if p.creator.authority_id not in archivist]
    keys = (search.matching_keys(text, kind=KIND, owners=full, secret=True)
            + search.matching_keys(text, kind=KIND, owners=limited, secret=False))
    records, files = [], []
    for key, _owner in keys:
        prefix, _, ident = key.partition(":")
        if prefix == "record" and ident.isdigit():
            records.append(int(ident))
        elif prefix == "aipfile" and ident.isdigit():
            files.append(int(ident))
    for record in ArchiveRecord.objects.filter(pk__in=records, package_id__in=found):
        hit = found[record.package_id]
        if len(hit.records) < MAX_HITS:
            hit.records.append(record)
    for item in AIPFile.objects.filter(pk__in=files, package_id__in=found):
        hit = found[item.package_id]
        if len(hit.files) < MAX_HITS:
            hit.files.append(item)
    for hit in found.values():
        hit.records.sort(key=lambda r: r.position)
        hit.files.sort(key=lambda f: f.path)
    return found
