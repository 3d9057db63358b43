"""What the registry's API views share: looking records up through the selectors,
deciding which of them the user may read, and presenting them (auditing secret reads)."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Prefetch, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from diarium.organisation.models import User
from diarium.registry import disposal_selectors, enforcement, selectors, services
from diarium.registry.api.serializers import CaseSerializer, DocumentSerializer
from diarium.registry.models import Case, CaseParty, Document

T = TypeVar("T")


def lookup(read: Callable[..., T], *args: Any) -> T:
    """Call a selector; a record the user may not see does not exist (404)."""
    try:
        return read(*args)
    except (ObjectDoesNotExist, ValidationError) as exc:
        raise NotFound() from exc


def with_case_details(user: User, qs: QuerySet[Case]) -> QuerySet[Case]:
    visible = selectors.visible_cases(user).values("id")
    return qs.select_related(
        "series", "authority", "responsible_officer", "municipality", "secrecy_authority"
    ).prefetch_related(
        Prefetch("case_parties", CaseParty.objects.select_related("party").order_by("party__name")),
        Prefetch("related_cases", Case.objects.filter(id__in=visible)),
    )


def with_document_details(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related(
        "case", "case__series", "case__authority", "secrecy_authority", "rule",
        "rule__process", "rule__version", "rule__version__plan",
    ).prefetch_related("files")


def document_is_secret(doc: Document) -> bool:
    """A document's content is secret when it or its case is marked: a secret case hides
    its documents too."""
    return doc.is_secret or doc.case.is_secret


def readable_cases(user: User, cases: Sequence[Case]) -> set:
    secret = [c.pk for c in cases if c.is_secret]
    group = selectors.group_case_ids(user, secret) if secret else set()
    return {c.pk for c in cases if not c.is_secret or c.pk in group}


def readable_documents(user: User, docs: Sequence[Document]) -> set:
    secret_cases = {d.case_id for d in docs if document_is_secret(d)}
    group = selectors.group_case_ids(user, secret_cases) if secret_cases else set()
    return {d.pk for d in docs if not document_is_secret(d) or d.case_id in group}


def present_cases(request: Request, cases: Sequence[Case], *, audit: bool = True) -> list[dict]:
    readable = readable_cases(request.user, cases)
    if audit:
        _note_reads(request.user, [c for c in cases if c.is_secret and c.pk in readable])
    context = {"request": request, "readable": readable}
    return CaseSerializer(cases, many=True, context=context).data


def present_case(request: Request, case: Case, *, audit: bool = True) -> dict:
    return present_cases(request, [case], audit=audit)[0]


def present_documents(
    request: Request, docs: Sequence[Document], *, audit: bool = True
) -> list[dict]:
    readable = readable_documents(request.user, docs)
    if audit:
        _note_reads(request.user, [d for d in docs if document_is_secret(d) and d.pk in readable])
    context = {
        "request": request, "readable": readable,
        "held": disposal_selectors.held_document_ids(docs),
        "places": enforcement.Places.load(),
    }
    return DocumentSerializer(docs, many=True, context=context).data


def present_document(request: Request, doc: Document, *, audit: bool = True) -> dict:
    return present_documents(request, [doc], audit=audit)[0]


def fresh_case(user: User, case: Case) -> Case:
    """The case re-read with what its representation needs (after a change)."""
    return with_case_details(user, selectors.visible_cases(user)).get(pk=case.pk)


def fresh_document(user: User, doc: Document) -> Document:
    return with_document_details(selectors.visible_documents(user)).get(pk=doc.pk)


def _note_reads(user: User, objs: list) -> None:
    if objs:
        services.note_secret_reads(user, objs)
