"""Query parameters of the registry's lists, validated like any input (400 on bad values).
The case search takes the same names as the search page's form (registry/forms.py)."""

import contextlib

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from diarium.core import visibility
from diarium.core.serializers import Serializer
from diarium.organisation.models import User
from diarium.registry import selectors
from diarium.registry.api.codes import CodeField
from diarium.registry.identity import (
    InvalidIdentity,
    normalise_organisationsnummer,
    normalise_personnummer,
)
from diarium.registry.models import CaseStatus, Direction, Document, DocumentStatus, PartyKind

# Old parameter name -> name, accepted until the next release (docs/registry.md "Changes").
DEPRECATED = {"diarienummer": "diary_number"}


class CaseFilter(Serializer):
    diary_number = serializers.CharField(
        required=False, help_text="A diary number: found exactly when complete, as a prefix "
        "when shorter (KS 2026/4 finds KS 2026/4, KS 2026/40, …).")
    q = serializers.CharField(required=False, help_text="Words in titles, parties, documents.")
    party = serializers.CharField(required=False, help_text="Party name or identity number.")
    opened_from = serializers.DateField(required=False, help_text="Opened on or after.")
    opened_to = serializers.DateField(required=False, help_text="Opened on or before.")
    status = CodeField(choices=CaseStatus.choices, required=False)
    authority = serializers.CharField(required=False, help_text="Authority code.")
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only cases where I am the responsible officer."
    )

    diarienummer = serializers.CharField(required=False,
                                         help_text="Deprecated: the old name of diary_number.")

    def validate(self, attrs: dict) -> dict:
        for old, new in DEPRECATED.items():
            if old in attrs:
                attrs.setdefault(new, attrs.pop(old))
        return _check_range(attrs, "opened_from", "opened_to")

    def criteria(self) -> selectors.CaseSearch:
        v = self.validated_data
        return selectors.CaseSearch(
            text=v.get("q", ""), diary_number=v.get("diary_number", ""),
            party=v.get("party", ""), date_from=v.get("opened_from"),
            date_to=v.get("opened_to"), status=v.get("status", ""),
            authority=v.get("authority", ""),
        )

    def fast(self, user: User, shape) -> selectors.CaseHits | None:
        """The results read a page at a time (selectors.fast_search), or None."""
        if self.validated_data["mine"]:
            return None
        return selectors.fast_search(user, self.criteria(), shape)

    def apply(self, user: User) -> QuerySet:
        v = self.validated_data
        qs = selectors.search_cases(user, self.criteria())
        if v["mine"]:
            qs = qs.filter(responsible_officer=user)
        return qs.order_by("-opened_at", "-number")


# The case search's parameters for the schema: the filter's, with the old names marked.
CASE_PARAMETERS = [CaseFilter, *(
    OpenApiParameter(old, OpenApiTypes.STR, deprecated=True,
                     description=f"Deprecated until the next release: use {new}.")
    for old, new in DEPRECATED.items())]


# The document filters on fields a stub does not show.
HIDDEN_IN_STUBS = frozenset({"direction", "status", "date_from", "date_to"})


class DocumentFilter(Serializer):
    case = serializers.UUIDField(required=False, help_text="The case's id.")
    direction = CodeField(choices=Direction.choices, required=False)
    status = CodeField(choices=DocumentStatus.choices, required=False)
    date_from = serializers.DateField(required=False, help_text="Document date, from.")
    date_to = serializers.DateField(required=False, help_text="Document date, to.")

    def validate(self, attrs: dict) -> dict:
        return _check_range(attrs, "date_from", "date_to")

    def apply(self, user: User, qs: QuerySet[Document]) -> QuerySet[Document]:
        v = self.validated_data
        if "case" in v:
            qs = qs.filter(case_id=v["case"])
        if HIDDEN_IN_STUBS & set(v):
            # A stub shows its number and nothing more: filtering stubs by a field it
            # hides would reveal the field by bisection, so such filters only match
            # documents whose content the user may read.
            qs = visibility.policy_for(user).filter_documents(qs, "content")
        if "direction" in v:
            qs = qs.filter(direction=v["direction"])
        if "status" in v:
            qs = qs.filter(status=v["status"])
        if "date_from" in v:
            qs = qs.filter(document_date__gte=v["date_from"])
        if "date_to" in v:
            qs = qs.filter(document_date__lte=v["date_to"])
        return qs.order_by("-registered_at", "-number")


class PartyFilter(Serializer):
    q = serializers.CharField(
        required=False, help_text="Part of the name or the e-mail address, or a whole "
        "identity number (personnummer or organisationsnummer, in any usual form).",
    )
    kind = serializers.ChoiceField(choices=PartyKind.choices, required=False)

    def apply(self, qs: QuerySet, by_identity: bool = True) -> QuerySet:
        """qs: the parties the user may see (the filters never widen it). by_identity:
        q may match a whole identity number (only for users who may read them: a match
        would confirm the number to anyone else)."""
        v = self.validated_data
        if "q" in v:
            text = v["q"].strip()
            match = Q(name__icontains=text) | Q(email__icontains=text)
            if by_identity:
                match |= Q(identity_number__in=_identity_forms(text))
            qs = qs.filter(match)
        if "kind" in v:
            qs = qs.filter(kind=v["kind"])
        return qs.order_by("name", "id")


class SeriesFilter(Serializer):
    authority = serializers.CharField(required=False, help_text="Authority code.")
    active = serializers.BooleanField(required=False, allow_null=True, default=None)

    def apply(self, qs: QuerySet) -> QuerySet:
        v = self.validated_data
        if "authority" in v:
            qs = qs.filter(authority__code=v["authority"])
        if v.get("active") is not None:
            qs = qs.filter(active=v["active"])
        return qs


def _check_range(attrs: dict, start: str, end: str) -> dict:
    if start in attrs and end in attrs and attrs[start] > attrs[end]:
        raise serializers.ValidationError({end: [_("The end lies before the start.")]})
    return attrs


def _identity_forms(text: str) -> set[str]:
    """The text as a stored identity number could hold it (stored numbers are
    normalised: YYYYMMDD-NNNN or NNNNNN-NNNN)."""
    found = {text}
    for normalise in (normalise_personnummer, normalise_organisationsnummer):
        with contextlib.suppress(InvalidIdentity):
            found.add(normalise(text))
    return found
