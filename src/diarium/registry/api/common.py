"""What the registry's API views share: looking records up through the selectors, and
presenting them through the visibility policy, which decides which of them the user may
read and audits the secret content a response shows."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Prefetch, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from diarium.core import prefetched
from diarium.organisation.models import User
from diarium.registry import disposal_selectors, enforcement, selectors
from diarium.registry.api.serializers import CaseSerializer, DocumentSerializer
from diarium.registry.models import Case, CaseParty, Document
from diarium.registry.visibility import RegistryPage, policy_for

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
        "series", "authority", "responsible_officer", "municipality", "secrecy_authority",
        "osl_provision",
    ).prefetch_related(
        Prefetch("case_parties", CaseParty.objects.select_related("party").order_by("party__name")),
        Prefetch("related_cases", Case.objects.filter(id__in=visible)),
    )


def with_document_details(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related(
        "case", "case__series", "case__authority", "secrecy_authority", "osl_provision", "rule",
        "rule__process", "rule__version", "rule__version__plan", "final_version",
        "checked_out_by",
    ).prefetch_related("files")


def document_is_secret(doc: Document) -> bool:
    """A document's content is secret when it or its case is marked: a secret case hides
    its documents too."""
    return doc.is_secret or doc.case.is_secret


def page(request: Request) -> RegistryPage:
    """The visibility policy's page for this request: it decides what the response may
    show and audits the secret content it shows (one event for the whole response)."""
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match is not None else request.path
    return policy_for(request.user).page(view)


def present_cases(request: Request, cases: Sequence[Case], *, shown: bool = True,
                  opened: bool = False) -> list[dict]:
    """The cases as the user may see them. shown=False: the user has just written them
    (nothing new is revealed, so nothing is audited). opened=True: the cases were opened
    by this request, so nothing refers to them yet; the serializer's context says so
    (`opened`), and fields that read other apps' rows about a case (where it is archived)
    answer none without reading."""
    with page(request) as p:
        readable = p.readable_cases(cases, shown=shown)
        context = {"request": request, "readable": readable, "opened": opened,
                   "full_identity": selectors.can_read_identity_numbers(request.user)}
        return CaseSerializer(cases, many=True, context=context).data


def present_case(request: Request, case: Case, *, shown: bool = True,
                 opened: bool = False) -> dict:
    return present_cases(request, [case], shown=shown, opened=opened)[0]


def present_documents(
    request: Request, docs: Sequence[Document], *, shown: bool = True
) -> list[dict]:
    with page(request) as p:
        context = {
            "request": request, "readable": p.readable_documents(docs, shown=shown),
            "held": disposal_selectors.held_document_ids(docs),
            "places": enforcement.Places.load(),
            "full_identity": selectors.can_read_identity_numbers(request.user),
        }
        return DocumentSerializer(docs, many=True, context=context).data


def present_document(request: Request, doc: Document, *, shown: bool = True) -> dict:
    return present_documents(request, [doc], shown=shown)[0]


def fresh_case(user: User, case: Case) -> Case:
    """The case re-read with what its representation needs (after a change)."""
    return with_case_details(user, selectors.visible_cases(user)).get(pk=case.pk)


def new_case(user: User, case: Case) -> Case:
    """fresh_case for a case just opened, without reading it again: the service's own
    object holds every field as saved and the rows it was made with (series, authority,
    officer, unit, municipality, the marking's provision), and it has no parties nor
    related cases yet. Whether the user may see it is the policy's per-record answer,
    the same rule `visible_cases` filters by (docs/performance.md: the re-read was the
    create's most expensive query to build)."""
    if not policy_for(user).case(case).exists:
        raise NotFound
    prefetched.set_empty(case, "case_parties", "related_cases")
    return case


def fresh_document(user: User, doc: Document) -> Document:
    return with_document_details(selectors.visible_documents(user)).get(pk=doc.pk)
