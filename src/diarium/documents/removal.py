"""Removing stored content when the records holding it are disposed of (gallring).

Content is stored once per SHA-256 and shared by every document, inbox item or other row
holding the same bytes, so it is removed only when nothing still refers to it except rows
that are themselves disposed of. The caller says which references no longer count
(`ignore`: model label -> a Q of the disposed rows), because the documents app does not
know the apps above it. Every model with a foreign key to StoredFile counts, so a new app
that keeps files is protected without a change here.

What was made from removed content goes with it: its extracted text is deleted, and its
rendition and preview images (documents.processing, referenced by hash, not by foreign
key, so that they never keep an original alive) are removed in the same two steps.

Two steps, for crash safety: `release` (in the caller's transaction) marks the rows whose
content goes, and `purge` (after the commit, idempotent) deletes the bytes. A crash in
between leaves marked rows whose bytes `purge` removes on the next run. Each row is locked
while its bytes are deleted; storing the same bytes again clears the mark under the same
lock and writes them again when they are gone (documents.services)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from diarium.documents.models import ExtractedText, Rendition, StoredFile
from diarium.documents.store import file_store

Ignore = Mapping[str, Q]
REASON = "lawful disposal (gallring): no record that is not disposed of refers to it"


def still_referenced(sha256: str, ignore: Ignore) -> bool:
    """Whether a row that is not ignored refers to the content."""
    for relation in StoredFile._meta.get_fields(include_hidden=True):
        if not relation.is_relation or relation.concrete or relation.many_to_many:
            continue  # only reverse foreign keys (a through model's own key counts)
        model = relation.related_model
        rows = model._base_manager.filter(**{relation.field.name: sha256})
        skip = ignore.get(model._meta.label_lower)
        if skip is not None:
            rows = rows.exclude(skip)
        if rows.exists():
            return True
    return False


def release(sha256s: Iterable[str], ignore: Ignore) -> tuple[list[str], list[str]]:
    """In the caller's transaction: mark the content no longer referenced for removal.
    Returns (removed, kept): kept content is still used by something not disposed of."""
    now = timezone.now()
    removed, kept = _release(sorted(set(sha256s)), ignore, now)
    derived = _derived(removed)
    ExtractedText.objects.filter(source__in=removed).delete()
    Rendition.objects.filter(source__in=removed).update(content_removed_at=now)
    _release(sorted(set(derived) - set(removed)), ignore, now)
    return removed, kept


def _derived(sources: list[str]) -> list[str]:
    """The renditions and preview images made from these originals."""
    found: list[str] = []
    for content, previews in Rendition.objects.filter(source__in=sources).values_list(
            "content", "previews"):
        found.extend([content, *previews] if content else previews)
    return found


def _release(sha256s: list[str], ignore: Ignore, now) -> tuple[list[str], list[str]]:
    removed, kept = [], []
    for sha256 in sha256s:
        stored = StoredFile.objects.select_for_update().filter(sha256=sha256).first()
        if stored is None:
            continue
        if still_referenced(sha256, ignore):
            kept.append(sha256)
            continue
        if stored.content_removed_at is None:
            stored.content_removed_at = now
            stored.save(update_fields=["content_removed_at"])
        removed.append(sha256)
    return removed, kept


def purge(sha256s: Iterable[str], ignore: Ignore) -> list[str]:
    """Delete the bytes of marked content (after the marking transaction committed);
    returns the hashes whose bytes were deleted now. Safe to repeat. The references are
    checked once more under the row's lock: content that came into use since it was
    marked is kept (and unmarked)."""
    deleted = []
    sources = sorted(set(sha256s))
    gone = list(Rendition.objects.filter(source__in=sources, content_removed_at__isnull=False)
                .values_list("source", flat=True))
    for sha256 in sorted(set(sources) | set(_derived(gone))):
        with transaction.atomic():
            stored = StoredFile.objects.select_for_update().filter(sha256=sha256).first()
            if stored is None or stored.content_removed_at is None:
                continue  # stored again meanwhile: the content is in use
            if still_referenced(sha256, ignore):
                stored.content_removed_at = None
                stored.save(update_fields=["content_removed_at"])
                continue
            if file_store().delete(stored.storage_name, reason=REASON):
                deleted.append(sha256)
    return deleted


def is_present(stored: StoredFile) -> bool:
    return file_store().exists(stored.storage_name)

