"""Every staff read of the registry goes through here.

Who may see what is not decided here but by the visibility policy
(registry/visibility.py, the interface in core/visibility.py): these reads apply its
queryset filters. In short: cases and documents of the user's own authorities are visible
to them, secret ones as a stub (the number) outside the case's access group; another
authority's records are visible when they carry no secrecy marking, and secret ones do
not exist (404). Parties are visible through the records whose content the user may read."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from diarium.core import visibility
from diarium.organisation.models import Role, User
from diarium.organisation.selectors import REGISTERING_ROLES, REGISTRY_ROLES, access_for
from diarium.registry.models import (
    Case,
    CaseParty,
    DiarySeries,
    Document,
    DocumentFile,
    InboxFile,
    InboxItem,
    InboxStatus,
    Mailbox,
    Party,
)
from diarium.registry.visibility import RegistryPolicy
from diarium.search import backends as search


def _policy(user: User) -> RegistryPolicy:
    return visibility.policy_for(user)


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases that exist for the user (secret ones of their authorities as stubs)."""
    qs = Case.objects.select_related("series", "authority", "responsible_officer")
    return _policy(user).filter_cases(qs)


def visible_documents(user: User) -> QuerySet[Document]:
    qs = Document.objects.select_related("case", "case__authority", "case__series")
    return _policy(user).filter_documents(qs)


def content_readable_cases(user: User) -> QuerySet[Case]:
    """Visible cases whose title and parties the user may read (for text search)."""
    return _policy(user).filter_cases(visible_cases(user), "content")


def content_readable_documents(user: User) -> QuerySet[Document]:
    return _policy(user).filter_documents(visible_documents(user), "content")


def get_case(user: User, case_id) -> Case:
    """The case, or Case.DoesNotExist when it is not visible to the user."""
    return visible_cases(user).get(pk=case_id)


def get_case_by_number(user: User, diary_number: str) -> Case:
    return visible_cases(user).get(diary_number=diary_number.strip())


def get_document(user: User, document_id) -> Document:
    return visible_documents(user).get(pk=document_id)


def get_document_file(user: User, file_id) -> DocumentFile:
    """A document's file, or DocumentFile.DoesNotExist when its document is not visible.
    Whether its content may be read is still the caller's question."""
    return DocumentFile.objects.select_related(
        "content", "document", "document__case", "document__case__series"
    ).get(pk=file_id, document__in=visible_documents(user))


def case_documents(user: User, case: Case) -> QuerySet[Document]:
    return visible_documents(user).filter(case=case).order_by("number")


def document_files(document: Document) -> QuerySet[DocumentFile]:
    return document.files.select_related("content")


def case_parties(case: Case) -> QuerySet[CaseParty]:
    return case.case_parties.select_related("party")


def my_cases(user: User) -> QuerySet[Case]:
    return visible_cases(user).filter(
        responsible_officer=user, status__in=["open", "dormant"]
    ).order_by("follow_up_date", "-opened_at")


def inbox_items(user: User, status: str | None = InboxStatus.NEW) -> QuerySet[InboxItem]:
    """Mail of the authorities where the user may register: by default the mail that
    waits for an outcome; with another status, the mail that got that outcome; with
    None, all of it."""
    authorities = access_for(user).authorities_with(REGISTERING_ROLES)
    found = InboxItem.objects.filter(authority_id__in=authorities)
    if status is not None:
        found = found.filter(status=status)
    return found.select_related("authority", "decided_by")


def inbox_authorities(user: User):
    """The authorities whose inbox the user may add mail to (an .eml or .msg upload)."""
    from diarium.organisation.models import Authority

    return Authority.objects.filter(
        pk__in=access_for(user).authorities_with(REGISTERING_ROLES)).order_by("code")


def mailbox_problems(user: User) -> QuerySet[Mailbox]:
    """The functional mailboxes of the user's inboxes that could not be read lately."""
    authorities = access_for(user).authorities_with(REGISTERING_ROLES)
    return Mailbox.objects.filter(authority_id__in=authorities, active=True).exclude(
        last_error="").select_related("authority")


def administered_mailboxes(user: User) -> QuerySet[Mailbox]:
    """The mailboxes of the authorities the user administers (superusers: all)."""
    qs = Mailbox.objects.select_related("authority").order_by("authority__code", "name")
    if user.is_superuser:
        return qs
    return qs.filter(authority_id__in=access_for(user).authorities_with({Role.ADMINISTRATOR}))


def inbox_files(item: InboxItem) -> QuerySet[InboxFile]:
    return InboxFile.objects.filter(item=item).select_related("content").order_by("original_name")


def related_cases(user: User, case: Case) -> QuerySet[Case]:
    """The cases related to case that the user can see."""
    related = case.related_cases.values("pk")
    return visible_cases(user).filter(pk__in=related).order_by("diary_number")


def registration_series(user: User) -> QuerySet[DiarySeries]:
    """Active diary series of the authorities where the user may open cases."""
    authorities = access_for(user).authorities_with(REGISTERING_ROLES)
    return DiarySeries.objects.filter(authority_id__in=authorities, active=True).select_related(
        "authority"
    )


def can_add_to(user: User, case: Case) -> bool:
    """May add documents, parties and inbox mail to the case (the policy's one rule)."""
    return _policy(user).may_add_to(case)


def can_manage_case(user: User, case: Case) -> bool:
    """May close, reopen or set the case dormant: the registry, or its responsible officer."""
    access = access_for(user)
    return access.has(case.authority_id, REGISTRY_ROLES) or (
        case.responsible_officer_id == user.pk and access.has(case.authority_id, REGISTERING_ROLES)
    )


def can_void(user: User, case: Case) -> bool:
    """May void the case or its documents: the authority's registry."""
    return access_for(user).has(case.authority_id, REGISTRY_ROLES)


def parties(user: User) -> QuerySet[Party]:
    """The contacts of the shared register that the user may see: through a case or
    document whose content they may read, or that they created themselves."""
    return _policy(user).filter_parties(Party.objects.all())


@dataclass
class CaseSearch:
    """The staff search form's criteria; every field optional."""

    text: str = ""
    diary_number: str = ""
    party: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""
    authority: str = ""  # authority code


def search_cases(user: User, criteria: CaseSearch) -> QuerySet[Case]:
    qs = visible_cases(user)
    if criteria.diary_number:
        qs = qs.filter(_diary_number_q(qs, criteria.diary_number))
    if criteria.authority:
        qs = qs.filter(authority__code=criteria.authority)
    if criteria.status or criteria.date_from or criteria.date_to:
        # A stub shows a number and nothing more: filtering stubs by status or date would
        # reveal them, so these criteria only match cases whose content the user may read.
        qs = _policy(user).filter_cases(qs, "content")
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    if criteria.date_from:
        qs = qs.filter(opened_at__date__gte=criteria.date_from)
    if criteria.date_to:
        qs = qs.filter(opened_at__date__lte=criteria.date_to)
    if criteria.party:
        readable = content_readable_cases(user).filter(
            Q(case_parties__party__name__icontains=criteria.party)
            | Q(case_parties__party__identity_number=criteria.party.strip())
        )
        qs = qs.filter(id__in=readable.values("id"))
    if criteria.text:
        qs = qs.filter(_text_q(user, criteria.text))
    return qs.order_by("-opened_at")


def _diary_number_q(visible: QuerySet[Case], value: str) -> Q:
    """A full number (or a document number `KS 2026/42:3`) matches exactly, through the
    unique index; anything shorter as a prefix (indexed on PostgreSQL). Series codes are
    upper case, so the input is made so too. Only visible cases decide between the two:
    a case that does not exist for the user must not change what a search finds."""
    value = " ".join(value.split()).upper().split(":", 1)[0]
    if visible.filter(diary_number=value).exists():
        return Q(diary_number=value)
    return Q(diary_number__startswith=value)


def _text_q(user: User, text: str) -> Q:
    """Cases matching text, where secret text counts only for those who may read it."""
    public = search.matching_case_ids(text, secret=False)
    if public is None:
        return Q()
    secret = search.matching_case_ids(text, secret=True)
    # A secret document in an open case must not be findable by its text, nor any text
    # of a secret case: those matches count only for the case's access group.
    group = Q(id__in=_policy(user).filter_group(Case.objects.all()).values("id"))
    return (Q(id__in=public) & (Q(secrecy_provision="") | group)) | (Q(id__in=secret) & group)


# Roles that see a party's full identity number; everyone else sees it masked.
IDENTITY_ROLES = frozenset({Role.REGISTRATOR, Role.OFFICER, Role.ADMINISTRATOR})


def can_read_identity_numbers(user: User) -> bool:
    return user.is_superuser or bool(access_for(user).authorities_with(IDENTITY_ROLES))


def unreadable_document_ids(user: User, case: Case) -> set[str]:
    """Ids (as strings, like audit events' object_id) of the case's documents whose content
    the user may not read: secret ones, or all of them in a secret case, unless the user is
    in the case's access group."""
    if _policy(user).in_group(case):
        return set()
    docs = Document.objects.filter(case_id=case.pk)
    if not case.is_secret:
        docs = docs.exclude(secrecy_provision="")
    return {str(pk) for pk in docs.values_list("id", flat=True)}
