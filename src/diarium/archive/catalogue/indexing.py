"""What of an archived package goes into the search index (kind "archive", owner = the
package): the package's metadata, each ERMS record, and the text of each text-bearing
file. An entry is secret when the package, or the record the file belongs to, carries a
restriction: only the creator's archivists find those."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.utils import timezone

from diarium.archive.models import (
    AIPFile,
    ArchiveRecord,
    FileRole,
    Package,
    PackageDescription,
    RecordKind,
)
from diarium.search.backends import Entry, index, insert_fresh, remove_owned, words

from .reading import good_copies
from .text import extract_text, kind_of

KIND = "archive"
# Characters of distinct words kept per entry: PostgreSQL's tsvector must stay under 1 MB.
MAX_BODY = 256 * 1024
# File entries per write, or fewer when their text reaches BATCH_TEXT characters, so that
# memory stays bounded for large texts.
BATCH = 1000
BATCH_TEXT = 8 * 1024 * 1024
DATA_PREFIX = "submission/representations/"


def distinct_words(text: str, limit: int = MAX_BODY) -> str:
    """The text's distinct words, in order of first appearance, up to limit characters.
    A query needs every word somewhere in an entry, not their order or count."""
    seen: dict[str, None] = {}
    size = 0
    for word in words(text):
        if word not in seen:
            size += len(word) + 1
            if size > limit:
                break
            seen[word] = None
    return " ".join(seen)


def _package_text(package: Package, description: PackageDescription | None) -> str:
    series = description.series if description and description.series_id else None
    parts = [package.label, package.objid, package.name, package.producer, package.creator.name,
             package.agreement.reference]
    if description is not None:
        parts += [description.title, description.reference]
        parts += [str(d) for d in (description.start_date, description.end_date) if d]
    if series is not None:
        parts += [series.code, series.title]
    return " ".join(p for p in parts if p)


def _record_text(record: ArchiveRecord) -> str:
    return " ".join(p for p in (record.identifier, record.title, record.public_title,
                                record.record_type, str(record.date or "")) if p)


def _file_restrictions(package: Package, restricted_package: bool) -> dict[str, bool]:
    """AIP path -> whether the record it belongs to is restricted."""
    found: dict[str, bool] = {}
    for record in package.records.filter(kind=RecordKind.RECORD).only("paths", "restriction"):
        for path in record.paths:
            found[path] = found.get(path, False) or record.restricted
    if restricted_package:
        return dict.fromkeys(found, True)
    return found


def _file_entries(package: Package, restricted: bool) -> Iterator[Entry]:
    copy = good_copies(package)[0]
    by_path = _file_restrictions(package, restricted)
    files = (AIPFile.objects.filter(package=package, role=FileRole.SUBMISSION,
                                    path__startswith=DATA_PREFIX).order_by("path")
             .values_list("pk", "path", "mime"))  # no model instance per file
    for pk, path, mime in files.iterator(chunk_size=2000):
        kind = kind_of(path, mime)
        if kind is None:
            continue
        name = path.rsplit("/", 1)[-1]
        text = extract_text(functools.partial(copy.open, path), kind, name)
        yield Entry(f"aipfile:{pk}", None, restricted or by_path.get(path, False),
                    distinct_words(f"{name} {text}"), kind=KIND, owner=package.pk)


def _write(entries: list[Entry]) -> None:
    """Insert the entries as fresh ones; where another indexing of the same package (a
    reindex beside the ingest's own, or two reindexes) wrote some of their keys after
    this one removed the package's entries, write them over those instead: both write the
    same text, so either's entries serve."""
    try:
        with transaction.atomic():
            insert_fresh(entries)
    except IntegrityError:
        index(entries)


def index_package(package: Package) -> int:
    """(Re)index the package; returns the number of files whose text was read. Its
    entries are removed first, so every entry is written as a fresh insert."""
    description = PackageDescription.objects.filter(package=package).select_related(
        "series").first()
    restricted = bool(description and description.restricted)
    with transaction.atomic():
        remove_owned(KIND, package.pk)
        entries = [Entry(f"package:{package.pk}", None, restricted,
                         _package_text(package, description), kind=KIND, owner=package.pk)]
        entries += [Entry(f"record:{r.pk}", None, restricted or r.restricted,
                          _record_text(r), kind=KIND, owner=package.pk)
                    for r in package.records.all()]
        _write(entries)
    files = 0
    batch: list[Entry] = []
    held = 0
    for entry in _file_entries(package, restricted):
        batch.append(entry)
        files += 1
        held += len(entry.text)
        if len(batch) >= BATCH or held >= BATCH_TEXT:
            _write(batch)
            batch, held = [], 0
    if batch:
        _write(batch)
    PackageDescription.objects.filter(package=package).update(
        text_files=files, indexed_at=timezone.now())
    return files
