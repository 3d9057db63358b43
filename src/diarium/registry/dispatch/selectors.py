"""Every read of dispatch: a document's dispatches only for those who may read its content
(the recipients are personal data), a case's for the documents of it they may read, the
lists an authority's registry may use, and what administrators manage."""

from __future__ import annotations

from django.db.models import Min, Prefetch, QuerySet

from diarium.organisation.models import Authority, Role, User
from diarium.organisation.selectors import REGISTERING_ROLES, access_for
from diarium.registry import selectors as registry
from diarium.registry.dispatch.models import (
    Dispatch,
    DispatchRecipient,
    DispatchSettings,
    DistributionList,
    DistributionListMember,
    DistributionListVersion,
)
from diarium.registry.models import Case, Document
from diarium.registry.visibility import policy_for


def _with_details(qs: QuerySet[Dispatch]) -> QuerySet[Dispatch]:
    members = Prefetch("members", DistributionListMember.objects.order_by("position"))
    return qs.select_related("document", "document__case", "version", "created_by") \
        .prefetch_related(Prefetch("recipients", DispatchRecipient.objects.order_by("position")),
                          Prefetch("lists", DistributionListVersion.objects.prefetch_related(
                              members)))


def document_dispatches(user: User, doc: Document) -> QuerySet[Dispatch]:
    if not policy_for(user).document(doc).content:
        return Dispatch.objects.none()
    return _with_details(Dispatch.objects.filter(document=doc))


def case_dispatches(user: User, case: Case) -> QuerySet[Dispatch]:
    readable = registry.content_readable_documents(user).filter(case=case)
    return _with_details(Dispatch.objects.filter(document__in=readable))


def get_dispatch(user: User, dispatch_id) -> Dispatch:
    """The dispatch, or Dispatch.DoesNotExist unless the user may read its document."""
    readable = registry.content_readable_documents(user)
    return _with_details(Dispatch.objects.filter(document__in=readable)).get(pk=dispatch_id)


def dispatched_at(doc: Document):
    """When the document was first dispatched (expedierad), or None."""
    return Dispatch.objects.filter(document=doc).aggregate(first=Min("dispatched_at"))["first"]


def usable_lists(user: User, authority_id) -> QuerySet[DistributionList]:
    """The authority's lists in use, for those who register in it."""
    if not access_for(user).has(authority_id, REGISTERING_ROLES):
        return DistributionList.objects.none()
    return DistributionList.objects.filter(authority_id=authority_id, active=True,
                                           current__isnull=False).select_related("current")


def administered_lists(user: User) -> QuerySet[DistributionList]:
    qs = DistributionList.objects.select_related("authority", "current").order_by(
        "authority__code", "name")
    if user.is_superuser:
        return qs
    return qs.filter(authority_id__in=access_for(user).authorities_with({Role.ADMINISTRATOR}))


def list_versions(dlist: DistributionList) -> QuerySet[DistributionListVersion]:
    members = Prefetch("members", DistributionListMember.objects.order_by("position"))
    return dlist.versions.select_related("created_by").prefetch_related(members).order_by(
        "-number")


def settings_of(authority: Authority) -> DispatchSettings | None:
    return DispatchSettings.objects.filter(authority=authority).first()
