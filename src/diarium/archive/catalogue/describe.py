"""Describing an archived package from its AIP: its series (from the classification code),
title, period, restriction and the records of its ERMS metadata. Runs once after ingest
(and again from `diarium archive reindex`); the AIP never changes, so records once made are
kept (orders and secrecy reviews refer to them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from diarium.archive.models import (
    AIPFile,
    ArchiveRecord,
    ArchiveSeries,
    Package,
    PackageDescription,
    PackageState,
)
from diarium.archive.validation.limits import LIMITS
from diarium.archive.validation.mets import m, text_of
from diarium.archive.validation.xmlsafe import parse_untrusted

from .erms_reading import SUBMISSION, ErmsContent, RecordInfo, read_erms
from .reading import PackageCopy, good_copies

logger = logging.getLogger(__name__)
ERMS_DEFAULT = f"{SUBMISSION}metadata/descriptive/erms.xml"


@dataclass
class SipMets:
    reference_code: str = ""
    erms_path: str = ""


def _small_file(copy: PackageCopy, relative: str) -> bytes | None:
    """The file's bytes when it exists and is within the metadata size limit."""
    size = copy.size(relative)
    if size is None or size > LIMITS.max_mets_bytes:
        return None
    with copy.open(relative) as stream:
        return stream.read(LIMITS.max_mets_bytes + 1)


def _sip_mets(copy: PackageCopy) -> SipMets:
    found = SipMets()
    data = _small_file(copy, f"{SUBMISSION}METS.xml")
    if data is None:
        return found
    parsed = parse_untrusted(data, "METS.xml")
    if parsed.tree is None:
        return found
    root = parsed.tree.getroot()
    header = root.find(m("metsHdr"))
    for alt in header.findall(m("altRecordID")) if header is not None else []:
        if alt.get("TYPE") == "REFERENCECODE":
            found.reference_code = text_of(alt)[:32]
    for ref in root.iterfind(f"{m('dmdSec')}/{m('mdRef')}"):
        if (ref.get("OTHERMDTYPE") or "").upper() == "ERMS":
            href = ref.get("{http://www.w3.org/1999/xlink}href") or ""
            if href and ".." not in href.split("/"):
                found.erms_path = SUBMISSION + href.lstrip("/")
                break
    return found


def _erms_path(package: Package, head: SipMets) -> str | None:
    candidates = [p for p in (head.erms_path, ERMS_DEFAULT) if p]
    known = set(AIPFile.objects.filter(package=package, path__in=candidates)
                .values_list("path", flat=True))
    return next((c for c in candidates if c in known), None)


def erms_path(package: Package, copy: PackageCopy | None = None) -> str | None:
    """The AIP path of the package's ERMS metadata, or None when it has none."""
    copy = copy or good_copies(package)[0]
    return _erms_path(package, _sip_mets(copy))


def _erms(copy: PackageCopy, package: Package, head: SipMets) -> ErmsContent | None:
    found = _erms_path(package, head)
    if found is None:
        return None
    data = _small_file(copy, found)
    return read_erms(data) if data is not None else None


# Stored in English; the package page shows it in the reader's language (the same msgid).
PROBLEM_UNREADABLE = gettext_noop("ERMS metadata not readable")


def _series_title(package: Package, code: str, given: str) -> str:
    if given and given != code:
        return given[:300]
    try:
        from diarium.plan.selectors import process_in_force

        process = process_in_force(package.creator.authority_id, code, timezone.localdate())
    except Exception:  # the plan is optional here; never fail a description on it
        return ""
    return process.name[:300] if process else ""


def _series(package: Package, content: ErmsContent | None, head: SipMets) -> ArchiveSeries | None:
    aggregations = [r for r in content.records if r.kind == "aggregation"] if content else []
    code, given = head.reference_code, ""
    codes = {a.classification_code for a in aggregations if a.classification_code}
    if len(codes) == 1:
        code = codes.pop()
        given = next(a.classification_title for a in aggregations
                     if a.classification_code == code)
    if not code:
        return None
    series, _ = ArchiveSeries.objects.get_or_create(
        creator=package.creator, code=code,
        defaults={"title": _series_title(package, code, given)})
    return series


def _title(package: Package, aggregations: list[RecordInfo]) -> tuple[str, str]:
    if len(aggregations) == 1:
        only = aggregations[0]
        return (f"{only.identifier}: {only.title}" if only.title else only.identifier), (
            only.identifier)
    return package.label or package.objid or package.name, package.objid


def _record_rows(package: Package, content: ErmsContent) -> list[ArchiveRecord]:
    return [ArchiveRecord(
        package=package, kind=r.kind, identifier=r.identifier[:500], title=r.title[:1000],
        public_title=r.public_title[:1000], record_type=r.record_type[:200],
        restriction=r.restriction[:200], date=r.date, paths=r.paths, position=n)
        for n, r in enumerate(content.records)]


def describe_package(package: Package) -> PackageDescription:
    """Make (or make again) the package's description and, when it has none yet, its
    records. Raises NoGoodCopy when no verified copy is in place."""
    copy = good_copies(package)[0]
    head = _sip_mets(copy)
    content = _erms(copy, package, head)
    aggregations = [r for r in content.records if r.kind == "aggregation"] if content else []
    restricted = [a.restriction for a in aggregations if a.restriction]
    title, reference = _title(package, aggregations)
    dates = content.dates if content else []
    with transaction.atomic():
        series = _series(package, content, head)
        description, _ = PackageDescription.objects.update_or_create(package=package, defaults={
            "series": series, "title": title[:1000], "reference": reference[:255],
            "restriction": (restricted[0] if restricted else "")[:200],
            "start_date": min(dates) if dates else None,
            "end_date": max(dates) if dates else None,
            "record_count": len(content.records) if content else 0,
            "problems": "" if content or not head.erms_path else PROBLEM_UNREADABLE})
        if content and not package.records.exists():
            ArchiveRecord.objects.bulk_create(_record_rows(package, content), batch_size=2000)
    return description


def after_ingest(package: Package) -> None:
    """Describe and index a package that has just been archived. A failure here never
    undoes the ingest: it is logged, and `diarium archive reindex` makes it again."""
    if package.state != PackageState.ARCHIVED:
        return
    from .indexing import index_package

    try:
        describe_package(package)
        index_package(package)
    except Exception:
        logger.exception("describing or indexing package %s failed", package.pk)
        PackageDescription.objects.filter(package=package).update(
            problems=f"Indexing failed at {timezone.now():%Y-%m-%d %H:%M}; run "
                     "`diarium archive reindex`.")

