"""Every read of the public portal: only the projection's tables (models.py), never the
registry's. The visibility decisions were made when the projection was written."""

from __future__ import annotations

import datetime as dt
import re

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from diarium.public import search
from diarium.public.models import (
    PublicAuthority,
    PublicCase,
    PublicDocument,
    PublicFile,
    PublicRegister,
)


def authorities() -> QuerySet[PublicAuthority]:
    return PublicAuthority.objects.order_by("name")


def authority_by_code(code: str) -> PublicAuthority | None:
    return PublicAuthority.objects.filter(code=code).first()


def record_types() -> list[str]:
    """The record types the filter offers; a scan of the documents, so kept a minute in
    the cache (a new record type shows in the filter within a minute)."""
    return cache.get_or_set("public:record-types", _record_types, 60)


def _record_types() -> list[str]:
    return list(PublicDocument.objects.exclude(record_type="").order_by("record_type")
                .values_list("record_type", flat=True).distinct())


# A diary or document number as written ("KS 2026/42", "KS 2026/42:3"): looked up by
# number, not by words (the words of a number are in thousands of records).
NUMBER = re.compile(r"^\S+[ -]\d{4}[/-]\d+(:\d+)?$")


def is_number(text: str) -> bool:
    return bool(NUMBER.match(text.strip()))


def cases(filters: dict) -> QuerySet[PublicCase]:
    qs = PublicCase.objects.select_related("authority")
    text = (filters.get("q") or "").strip()
    if is_number(text):
        number = text.split(":")[0]
        qs = qs.filter(diary_number__in={number, number.upper()})
    elif text:
        found = search.matching_cases(text)
        qs = qs.filter(pk__in=found) if found is not None else qs.none()
    if filters.get("authority"):
        qs = qs.filter(authority__code=filters["authority"])
    if filters.get("date_from"):
        qs = qs.filter(opened_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(opened_on__lte=filters["date_to"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("direction") or filters.get("record_type"):
        docs = _document_filters(PublicDocument.objects.all(), filters)
        qs = qs.filter(pk__in=docs.values("case_id"))
    return qs.order_by("-opened_on", "-year", "-number")


def _document_filters(qs: QuerySet, filters: dict) -> QuerySet:
    if filters.get("direction"):
        qs = qs.filter(direction=filters["direction"])
    if filters.get("record_type"):
        qs = qs.filter(record_type=filters["record_type"])
    return qs


def documents(filters: dict) -> QuerySet[PublicDocument]:
    qs = PublicDocument.objects.select_related("case", "authority")
    text = (filters.get("q") or "").strip()
    if is_number(text):
        field = "document_number" if ":" in text else "case__diary_number"
        qs = qs.filter(**{f"{field}__in": {text, text.upper()}})
    elif text:
        found = search.matching(text, search.PUBLIC_DOC)
        qs = qs.filter(pk__in=found) if found is not None else qs.none()
    if filters.get("authority"):
        qs = qs.filter(authority__code=filters["authority"])
    if filters.get("date_from"):
        qs = qs.filter(registered_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(registered_at__date__lte=filters["date_to"])
    if filters.get("status"):
        qs = qs.filter(case__status=filters["status"])
    return _document_filters(qs, filters).order_by("-registered_at", "document_number")


def case(case_id) -> PublicCase | None:
    return PublicCase.objects.select_related("authority").filter(pk=case_id).first()


def case_documents(row: PublicCase) -> QuerySet[PublicDocument]:
    return row.documents.prefetch_related("files").order_by("number")


def document(document_id) -> PublicDocument | None:
    return (PublicDocument.objects.select_related("case", "authority")
            .prefetch_related("files").filter(pk=document_id).first())


def file(file_id) -> PublicFile | None:
    return PublicFile.objects.select_related("document").filter(pk=file_id).first()


POSTLISTA_DAYS = 7
MAX_POSTLISTA_DAYS = 31


def postlista(authority: PublicAuthority | None, days: int) -> QuerySet[PublicDocument]:
    """Everything registered in the last `days` days (Stockholm dates), newest first."""
    since = timezone.localdate() - dt.timedelta(days=max(1, days) - 1)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    qs = PublicDocument.objects.select_related("case", "authority").filter(
        registered_at__gte=start)
    if authority is not None:
        qs = qs.filter(authority=authority)
    return qs.order_by("-registered_at", "document_number")


def registers() -> QuerySet[PublicRegister]:
    return PublicRegister.objects.order_by("kind", "authority_name", "name")
