"""Searching registered documents (not cases): by registration date, direction, record
type, the case's responsible officer and unit, sender or recipient, and words, sorted,
with why each hit matched, and exported.

Every read goes through the registry's visibility policy (registry/visibility.py):

- Only documents whose content the viewer may read are listed: the criteria and sorting
  work on fields a stub hides (sender, description, record type), so a stub in the list
  would tell what it hides. This is also the work lists' rule.
- Words are looked up in the search index, narrowed by the policy's `filter_found` (a
  restricted entry counts for the case's access group only) and then by the content
  filter above: a secret document's words, or a secret file's text, find nothing for
  anyone outside the group.
- Why a hit matched is shown from the document's own fields and from its files' text,
  for the documents the page may show; the page audits the secret ones it shows.

Free text is masked (19811218-XXXX) for roles that may not read identity numbers, before
matches are marked, so a masked number is never revealed by its highlight."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diarium.documents.models import ExtractedText
from diarium.organisation.models import Unit, User
from diarium.organisation.selectors import access_for
from diarium.registry.identity import mask_identity_numbers
from diarium.registry.models import Document, DocumentFile
from diarium.registry.visibility import policy_for
from diarium.search import backends as search
from diarium.search.snippets import snippet

# More matching index entries than this: the words are too common to list by; the
# page asks for narrower words (the other criteria still apply).
MAX_WORD_MATCHES = 20_000

SORTS = {
    "-registered": ("-registered_at", "-id"),
    "registered": ("registered_at", "id"),
    "-date": ("-document_date", "-registered_at", "-id"),
    "date": ("document_date", "registered_at", "id"),
    "number": ("case__diary_number", "number"),
    "sender": ("sender_recipient", "-registered_at", "id"),
}


@dataclass
class DocumentSearch:
    q: str = ""
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    direction: str = ""
    record_type: str | None = None
    officer: int | None = None
    unit: str | None = None
    sender: str = ""
    authority: str | None = None
    status: str = ""
    sort: str = "-registered"

    @property
    def empty(self) -> bool:
        return not any([self.q.strip(), self.registered_from, self.registered_to,
                        self.direction, self.record_type, self.officer, self.unit,
                        self.sender.strip(), self.authority, self.status])


IDENTITY_LIKE = re.compile(r"\d{6}")


class IdentityRefused(Exception):
    """A sender criterion with an identity number, from a role that may not read them."""


class TooManyMatches(Exception):
    """The words match more entries than MAX_WORD_MATCHES."""


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def searchable_documents(user: User) -> QuerySet[Document]:
    """The documents whose content the user may read, in her authorities or not marked."""
    return policy_for(user).filter_documents(Document.objects.all(), "content")


def _word_matches(user: User, text: str) -> set[uuid.UUID] | None:
    """Ids of the documents found by these words (in their own entry or a file's text),
    counting only the index entries the user may find by. None: the text has no words."""
    entries = search.matching_entries(text)
    if entries is None:
        return None
    keys = list(policy_for(user).filter_found(entries)
                .filter(Q(key__startswith="document:") | Q(key__startswith="file:"))
                .values_list("key", flat=True)[:MAX_WORD_MATCHES + 1])
    if len(keys) > MAX_WORD_MATCHES:
        raise TooManyMatches
    docs = {uuid.UUID(k.split(":", 1)[1]) for k in keys if k.startswith("document:")}
    files = [uuid.UUID(k.split(":", 1)[1]) for k in keys if k.startswith("file:")]
    if files:
        docs |= set(DocumentFile.objects.filter(pk__in=files)
                    .values_list("document_id", flat=True))
    return docs


def search_documents(user: User, criteria: DocumentSearch) -> QuerySet[Document]:
    """The documents matching every criterion given, that the user may read, sorted."""
    qs = searchable_documents(user)
    if criteria.q.strip():
        found = _word_matches(user, criteria.q)
        if found is not None:
            qs = qs.filter(pk__in=list(found))
    if criteria.registered_from:
        qs = qs.filter(registered_at__gte=_day_start(criteria.registered_from))
    if criteria.registered_to:
        qs = qs.filter(registered_at__lt=_day_start(criteria.registered_to + dt.timedelta(1)))
    if criteria.direction:
        qs = qs.filter(direction=criteria.direction)
    if criteria.record_type:
        qs = qs.filter(record_type_id=criteria.record_type)
    if criteria.officer:
        qs = qs.filter(case__responsible_officer_id=criteria.officer)
    if criteria.unit:
        qs = qs.filter(case__responsible_unit_id=criteria.unit)
    if criteria.authority:
        qs = qs.filter(case__authority_id=criteria.authority)
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    if criteria.sender.strip():
        sender = criteria.sender.strip()
        if not can_search_identity(user) and IDENTITY_LIKE.search(sender):
            # The free text holds numbers the viewer sees masked: a filter on them would
            # confirm a number she may not read.
            raise IdentityRefused
        match = Q(sender_recipient__icontains=sender) | Q(party__name__icontains=sender)
        if can_search_identity(user):
            match |= Q(party__identity_number__icontains=sender)
        qs = qs.filter(match)
    order = SORTS.get(criteria.sort, SORTS["-registered"])
    return (qs.select_related("case", "case__authority", "case__responsible_officer",
                              "case__responsible_unit", "rule", "party")
            .order_by(*order))


def can_search_identity(user: User) -> bool:
    from diarium.registry.selectors import can_read_identity_numbers

    return can_read_identity_numbers(user)


def officer_choices(user: User) -> QuerySet[User]:
    """Officers of the user's authorities, for the officer filter."""
    from diarium.registry.selectors import eligible_officers

    return eligible_officers(access_for(user).authority_ids())


def unit_choices(user: User) -> QuerySet[Unit]:
    return (Unit.objects.filter(administration__authorities__in=access_for(user).authority_ids())
            .distinct().order_by("name"))


# --- why a hit matched -----------------------------------------------------------------

FIELD_LABELS = {"title": _("Description"), "public_title": _("Public description"),
                "sender_recipient": _("Sender or recipient"), "record_type": _("Record type")}


@dataclass
class Why:
    """One field (or a file) of a hit with the words that matched marked."""

    label: str
    segments: list[tuple[str, bool]]
    file: DocumentFile | None = None


@dataclass
class Hit:
    document: Document
    why: list[Why] = field(default_factory=list)
    title: list[tuple[str, bool]] = field(default_factory=list)  # the description, marked


def mark_text(text: str, needle: str) -> list[tuple[str, bool]]:
    """Segments of text with every case-insensitive occurrence of needle marked."""
    if not needle:
        return [(text, False)]
    parts = re.split(f"({re.escape(needle)})", text, flags=re.IGNORECASE)
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


def explain(documents: list[Document], criteria: DocumentSearch, *, full_identity: bool,
            per_document: int = 2) -> list[Hit]:
    """Why each document matched: the words in its fields or its files' text, and the
    sender criterion in its sender. Called with the documents the page may show only."""
    words = criteria.q.strip()
    sender = criteria.sender.strip()

    def shown(text: str) -> str:
        return text if full_identity else mask_identity_numbers(text)

    hits = [Hit(d) for d in documents]
    file_texts: dict = {}
    if words and documents:
        files = list(DocumentFile.objects.filter(document__in=[d.pk for d in documents])
                     .order_by("added_at"))
        texts = dict(ExtractedText.objects.filter(source__in={f.content_id for f in files})
                     .values_list("source", "text"))
        for file in files:
            if file.content_id in texts:
                file_texts.setdefault(file.document_id, []).append((file, texts[file.content_id]))
    for hit in hits:
        doc = hit.document
        if words:
            # The description is shown whole with its words marked; the other fields
            # and the files' text say why the document matched when it was not that.
            hit.title = snippet(shown(doc.title), words, width=len(doc.title) + 1)
            fields = {"public_title": doc.public_title if doc.public_title != doc.title
                      else "",
                      "sender_recipient": doc.sender_recipient,
                      "record_type": doc.rule.name if doc.rule_id else ""}
            for name, value in fields.items():
                segments = snippet(shown(value), words) if value else []
                if segments:
                    hit.why.append(Why(str(FIELD_LABELS[name]), segments))
                if len(hit.why) >= per_document:
                    break
            for file, text in file_texts.get(doc.pk, []):
                if len(hit.why) >= per_document + 1:
                    break
                segments = snippet(shown(text), words)
                if segments:
                    hit.why.append(Why(file.original_name, segments, file=file))
        if sender and sender.lower() in shown(doc.sender_recipient).lower():
            hit.why.append(Why(str(FIELD_LABELS["sender_recipient"]),
                               mark_text(shown(doc.sender_recipient), sender)))
    return hits
