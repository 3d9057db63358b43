"""Every staff read of the registry goes through here.

Who may see what is not decided here but by the visibility policy
(registry/visibility.py, the interface in core/visibility.py): these reads apply its
queryset filters. In short: cases and documents of the user's own authorities are visible
to them, secret ones as a stub (the number) outside the case's access group; another
authority's records are visible when they carry no secrecy marking, and secret ones do
not exist (404). Parties are visible through the records whose content the user may read."""

import contextlib
import datetime as dt
import shutil
from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from diarium.core import rows, visibility
from diarium.documents.convert import ConversionFailed
from diarium.documents.convert.sandbox import private_folder
from diarium.documents.convert.text import extract_text
from diarium.documents.diff import DiffLine, text_diff
from diarium.documents.models import ExtractedText, Rendition, StoredFile
from diarium.documents.services import open_content
from diarium.organisation.models import Authority, Role, Unit, User
from diarium.organisation.selectors import (
    REGISTERING_ROLES,
    REGISTRY_ROLES,
    access_for,
)
from diarium.registry.identity import (
    InvalidIdentity,
    find_identity_numbers,
    normalise_organisationsnummer,
    normalise_personnummer,
)
from diarium.registry.models import (
    Case,
    CaseNotification,
    CaseParty,
    DiarySeries,
    Document,
    DocumentFile,
    DocumentTemplate,
    DocumentVersion,
    InboxFile,
    InboxItem,
    InboxStatus,
    Mailbox,
    Party,
)
from diarium.registry.staging_model import STAGED_UPLOAD_MAX_AGE, StagedUpload
from diarium.registry.visibility import RegistryPolicy
from diarium.search import backends as search
from diarium.search.models import SearchEntry
from diarium.search.snippets import snippet


def _policy(user: User) -> RegistryPolicy:
    return visibility.policy_for(user)


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases that exist for the user (secret ones of their authorities as stubs)."""
    qs = Case.objects.select_related("series", "authority", "responsible_officer",
                                     "osl_provision")
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
    """The case with the number, written in any case and spacing (`ks 2026/42`): series
    codes are upper case."""
    return visible_cases(user).get(diary_number=" ".join(diary_number.split()).upper())


def get_document(user: User, document_id) -> Document:
    return visible_documents(user).get(pk=document_id)


def staged_uploads(user: User, form: str, ids) -> QuerySet[StagedUpload]:
    """The user's own staged uploads for the form among the ids, not expired: another
    user's id (or an expired one) finds nothing."""
    cutoff = timezone.now() - STAGED_UPLOAD_MAX_AGE
    return StagedUpload.objects.filter(
        user_id=user.pk, form=form, pk__in=ids, created_at__gte=cutoff,
    ).select_related("content")


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
    """The user's open and dormant cases, in work order (see work_order)."""
    return work_order(visible_cases(user).filter(
        responsible_officer=user, status__in=["open", "dormant"]
    ))


def work_order(qs: QuerySet[Case], today: dt.date | None = None) -> QuerySet[Case]:
    """Overdue follow-ups first (earliest first), then the coming follow-up dates, then
    cases without one; within each the oldest case first. Spelled out, so that SQLite
    (NULLs first) and PostgreSQL (NULLs last) give the same order."""
    today = today or timezone.localdate()
    return qs.annotate(
        overdue=DbCase(When(follow_up_date__lte=today, then=Value(0)), default=Value(1),
                       output_field=IntegerField()),
    ).order_by("overdue", F("follow_up_date").asc(nulls_last=True), "opened_at",
               "diary_number")


WORK_LISTS = ("mine", "unit", "authority")
# How a work list can be sorted: its name in the URL -> the ordering.
WORK_SORTS = {
    "follow_up": None,  # work order
    "-follow_up": (F("follow_up_date").desc(nulls_last=True), "diary_number"),
    "opened": ("opened_at", "diary_number"),
    "-opened": ("-opened_at", "diary_number"),
    "number": ("year", "series__code", "number"),
    "-number": ("-year", "series__code", "-number"),
    "title": ("title", "diary_number"),
}


@dataclass
class WorkListCriteria:
    """A work list's filters (every one optional) and its order."""

    status: str = ""  # a case status; none: open and dormant
    follow_up: str = ""  # overdue, week (within 7 days), set, none
    record_type: object = None  # a plan RecordType id: cases holding such a document
    older_than: int | None = None  # days since the case was opened
    authority: object = None  # an authority id (the authority list)
    sort: str = "follow_up"


def work_list(user: User, which: str, criteria: WorkListCriteria) -> QuerySet[Case]:
    """The cases of a work list whose content the user may read: theirs (mine), their
    unit's (unit) or their authorities' (authority). Stubs are left out: a list sorted
    and filtered by fields a stub hides would reveal them."""
    qs = content_readable_cases(user).select_related("responsible_unit")
    if which == "mine":
        qs = qs.filter(responsible_officer=user)
    elif which == "unit":
        qs = qs.filter(responsible_unit_id=user.unit_id) if user.unit_id else qs.none()
    elif which == "authority":
        qs = qs.filter(authority_id__in=access_for(user).authority_ids())
        if criteria.authority:
            qs = qs.filter(authority_id=criteria.authority)
    else:
        raise ValueError(f"unknown work list {which!r}")
    today = timezone.localdate()
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    else:
        qs = qs.filter(status__in=["open", "dormant"])
    if criteria.follow_up == "overdue":
        qs = qs.filter(follow_up_date__lte=today)
    elif criteria.follow_up == "week":
        qs = qs.filter(follow_up_date__lte=today + dt.timedelta(days=7))
    elif criteria.follow_up == "set":
        qs = qs.exclude(follow_up_date=None)
    elif criteria.follow_up == "none":
        qs = qs.filter(follow_up_date=None)
    if criteria.record_type:
        holding = content_readable_documents(user).filter(record_type_id=criteria.record_type)
        qs = qs.filter(id__in=holding.values("case_id"))
    if criteria.older_than:
        since = timezone.now() - dt.timedelta(days=criteria.older_than)
        qs = qs.filter(opened_at__lte=since)
    order = WORK_SORTS.get(criteria.sort)
    return work_order(qs, today) if order is None else qs.order_by(*order)


INBOX_SORTS = {"received": ("received_at", "id"), "-received": ("-received_at", "id"),
               "subject": ("subject", "id"), "sender": ("sender", "id")}


def inbox_list(user: User, older_than: int | None = None, authority=None,
               sort: str = "received") -> QuerySet[InboxItem]:
    """The inbox as a work list: filtered by age and authority, sorted."""
    qs = inbox_items(user)
    if authority:
        qs = qs.filter(authority_id=authority)
    if older_than:
        qs = qs.filter(received_at__lte=timezone.now() - dt.timedelta(days=older_than))
    return qs.order_by(*INBOX_SORTS.get(sort, INBOX_SORTS["received"]))


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


def series_by_code(code: str) -> DiarySeries | None:
    """A diary series by its code, with its authority; None when there is none. Any
    series, active or closed: whether the user may register in it is the service's to
    say. Read in plain SQL (core/rows.py): every case opened through the API looks its
    series up this way."""
    return rows.one_with(DiarySeries, "authority", "code", code)


def registration_series(user: User) -> QuerySet[DiarySeries]:
    """Active diary series of the authorities where the user may open cases."""
    authorities = access_for(user).authorities_with(REGISTERING_ROLES)
    return DiarySeries.objects.filter(authority_id__in=authorities, active=True).select_related(
        "authority"
    )


# Who may be a case's responsible officer: who handles cases. A reader, archivist or
# administrator would be a dead end (the case in their list, nobody handling it).
CASE_OFFICER_ROLES = frozenset({Role.OFFICER, Role.SECRETARY, Role.REGISTRATOR})


def officer_choices(case: Case) -> QuerySet[User]:
    """Who may be made the case's responsible officer."""
    return eligible_officers([case.authority_id])


def eligible_officers(authority_ids) -> QuerySet[User]:
    """Active case officers, board secretaries and registrars of the authorities: who can
    handle a case."""
    return (User.objects.filter(is_active=True, roles__authority_id__in=list(authority_ids),
                                roles__role__in=CASE_OFFICER_ROLES)
            .distinct().order_by("first_name", "last_name", "username"))


def unread_notifications(user: User) -> QuerySet[CaseNotification]:
    return CaseNotification.objects.filter(user=user, read_at=None).select_related(
        "case").order_by("-created_at")


def unit_choices(authority: Authority) -> QuerySet[Unit]:
    """Units of the administrations that serve the authority."""
    return Unit.objects.filter(administration__authorities=authority).distinct()


def may_register(user: User) -> bool:
    """Whether the user may register anywhere (the menu offers registration and the inbox
    only then)."""
    return bool(access_for(user).authorities_with(REGISTERING_ROLES))


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


PARTY_MATCHES = 10


def search_parties(user: User, text: str, limit: int = PARTY_MATCHES) -> list[Party]:
    """Contacts the user may see whose name or e-mail contains the text, or whose identity
    number it is. Only those who may read full identity numbers find a party by one: to
    anyone else a match would confirm the number."""
    text = text.strip()
    if not text:
        return []
    match = Q(name__icontains=text) | Q(email__icontains=text)
    if can_read_identity_numbers(user):
        match |= Q(identity_number__in=identity_forms(text))
        if len(text) >= 6 and all(ch.isdigit() or ch == "-" for ch in text):
            match |= Q(identity_number__contains=text)  # as one types the number
    return list(parties(user).filter(match).order_by("name", "id")[:limit])


def identity_forms(text: str) -> set[str]:
    """The text as a stored identity number could hold it (stored numbers are
    normalised: YYYYMMDD-NNNN or NNNNNN-NNNN)."""
    found = {text.strip()}
    for normalise in (normalise_personnummer, normalise_organisationsnummer):
        with contextlib.suppress(InvalidIdentity):
            found.add(normalise(text))
    return found


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
        qs = qs.filter(id__in=_party_match(user, criteria.party).values("id"))
    if criteria.text:
        qs = qs.filter(_text_q(user, criteria.text))
    return qs.order_by("-opened_at")


def text_only(criteria: CaseSearch) -> bool:
    """Words and nothing else: the search the fast paths serve."""
    others = (criteria.diary_number, criteria.party, criteria.date_from, criteria.date_to,
              criteria.status, criteria.authority)
    return bool(criteria.text) and not any(others)


class CaseHits:
    """The cases a text-only search finds, newest first, read a page at a time from the
    matching entries in their numbered order (search/order.py): entries are read until
    the page's last case, not every match (docs/performance.md). Sliced like a queryset
    by Django's and DRF's paginators; CappedPaginator counts it with count_upto, which
    counts over as many matches as it needs (and, when it read them all, may hand the
    pages their order).
    The order is the cases' slots': the moment opened, newest first, to about half a
    millisecond (search/order.py)."""

    FIRST_READ = 200
    LONGEST_READ = 20_000
    ENTRIES_PER_CASE = 8  # the first count reads this many matching entries per case

    def __init__(self, user: User, text: str, shape=None) -> None:
        """shape: what the caller adds to the page's queryset (related rows to read)."""
        self.user, self.text = user, text
        self.shape = shape or (lambda qs: qs)
        self.ids: list = []  # the cases found so far, in order
        self._after: int | None = None  # the last entry read
        self._done = False

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("CaseHits supports plain slices only")
        start, stop = index.start or 0, index.stop
        if stop is None:
            raise TypeError("CaseHits needs a slice with an end")
        ids = self._case_ids(stop)[start:stop]
        found = {c.pk: c for c in self.shape(visible_cases(self.user).filter(pk__in=ids))}
        return [found[pk] for pk in ids if pk in found]

    def count_upto(self, limit: int) -> int:
        """How many cases are found, counted no further than limit: from what the pages
        read when they read every match, else in the database over `limit × 8` of the
        matching entries (any of them: enough cases among them is enough), 4× more
        each time until limit cases or every match is counted."""
        if self._done or len(self.ids) >= limit:
            return min(len(self.ids), limit)
        size = limit * self.ENTRIES_PER_CASE
        counts = {"cases": Count("counted", distinct=True), "read": Count("id")}
        ordered = search.in_id_order("counted")
        if ordered is not None:
            counts["in_order"] = ordered
        while True:
            found = search.some_matches(self.text, size).annotate(
                counted=self._found_case()).aggregate(**counts)
            if found["read"] < size:  # every match was read
                self._every_match_counted(found)
                return min(found["cases"], limit)
            if found["cases"] >= limit:
                return limit
            size *= 4

    def _every_match_counted(self, found: dict) -> None:
        """What the pages learn from a count that read every match: that there are none,
        or, where the database gave them in order, every case found."""
        if "in_order" in found:
            self.ids = list(dict.fromkeys(c for c in found["in_order"] or [] if c is not None))
        self._done = "in_order" in found or not found["read"]  # no page needs to look

    def _case_ids(self, wanted: int) -> list:
        size = self.FIRST_READ
        seen = dict.fromkeys(self.ids)
        while len(seen) < wanted and not self._done:
            rows = self._read(size)
            seen.update(dict.fromkeys(case for _pk, case in rows))
            size = min(size * 4, self.LONGEST_READ)
        self.ids = list(seen)
        return self.ids

    def _read(self, size: int) -> list[tuple[int, object]]:
        """The next `size` matching entries that the policy lets count (filter_found),
        as (id, case id), in one query. Every entry of the read comes back, with its
        case or NULL, so that the last one says where the read ended: the matches are
        found once (a second subquery for that end found them twice)."""
        chunk = search.numbered_chunk(self.text, self._after, size)
        rows = list(SearchEntry.objects.filter(id__in=RawSQL(*chunk))  # noqa: S611
                    .annotate(found=self._found_case()).order_by("id")
                    .values_list("id", "found"))
        edge = rows[-1][0] if len(rows) == size else 0
        self._after, self._done = edge, edge == 0
        return [(pk, case) for pk, case in rows if case is not None]

    def _found_case(self) -> F | DbCase:
        """An entry's case where the policy lets the entry count (filter_found), else
        NULL."""
        rule = _policy(self.user).found_rule()
        return DbCase(When(rule, then=F("case_id")), default=None) if rule else F("case_id")


def fast_search(user: User, criteria: CaseSearch, shape=None) -> CaseHits | None:
    """search_cases' results as CaseHits when the words are the only criterion (the
    same cases, tests/registry/test_search_fast_path.py), else None."""
    if not text_only(criteria) or not search.words(criteria.text):
        return None
    return CaseHits(user, criteria.text, shape)


def _party_match(user: User, party: str) -> QuerySet[Case]:
    """Readable cases with a party of that name or, for those who may read identity
    numbers, that identity number (of a party, or written in a document's sender)."""
    match = Q(case_parties__party__name__icontains=party)
    if can_read_identity_numbers(user):
        forms = identity_forms(party)
        match |= Q(case_parties__party__identity_number__in=forms)
        senders = Q(pk__in=[])
        for number in (n for n in forms if find_identity_numbers(n)):
            senders |= Q(sender_recipient__contains=number)
            senders |= Q(sender_recipient__contains=number[2:])
        named = content_readable_documents(user).filter(senders).values("case_id")
        match |= Q(id__in=named)
    return content_readable_cases(user).filter(match)


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
    """Cases matching text, where secret text counts only for those who may read it: a
    secret document in an open case must not be findable by its text, nor any text of a
    secret case; those matches count only for the case's access group. The policy
    decides on each matching entry's own columns (filter_found), so the cost follows the
    matches, not the size of the viewer's authorities (docs/performance.md)."""
    entries = search.matching_entries(text)
    if entries is None:
        return Q()
    return Q(id__in=_policy(user).filter_found(entries).values("case_id"))


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


def document_versions(document: Document) -> QuerySet[DocumentVersion]:
    """A document's versions, newest first. The caller has shown the document."""
    return document.versions.select_related("created_by", "content").order_by("-number")


def get_version(user: User, version_id) -> DocumentVersion:
    """A version of a document visible to the user (DoesNotExist otherwise). Whether its
    content may be read is the caller's question (the policy's page)."""
    return DocumentVersion.objects.select_related(
        "content", "document", "document__case", "document__case__series",
    ).get(pk=version_id, document__in=visible_documents(user))


def version_text(version: DocumentVersion) -> str:
    """The text of a version (for comparing versions): extracted from its content, in a
    private folder; a file without readable text gives a message instead."""
    with private_folder() as folder:
        source = folder / "version"
        with open_content(version.content) as stream, source.open("wb") as out:
            shutil.copyfileobj(stream, out)
        try:
            return extract_text(source, version.original_name, folder)
        except ConversionFailed as exc:
            return f"[{exc}]"


def version_diff(old: DocumentVersion, new: DocumentVersion) -> list[DiffLine]:
    return text_diff(version_text(old), version_text(new))


def can_write_document(user: User, document: Document) -> bool:
    """May add versions, check out and make final: add to the case, and read the
    document's content (a draft or a secret one: the case's access group)."""
    return can_add_to(user, document.case) and _policy(user).document(document).content


def can_write_drafts(user: User, case: Case) -> bool:
    return can_add_to(user, case) and _policy(user).in_group(case)


def can_break_lock(user: User, case: Case) -> bool:
    return access_for(user).has(case.authority_id, {Role.ADMINISTRATOR})


@dataclass
class FileHit:
    """A file whose text matched a search, with the passage to show."""

    file: DocumentFile
    segments: list[tuple[str, bool]]


def file_hits(page, cases: list[Case], text: str, per_case: int = 3) -> dict:
    """case id -> the files of these cases whose text matches `text`, with a passage.
    Only files of documents whose content the viewer may read (the page decides, and
    notes the secret ones it shows): a secret file's words never show in a hit outside
    the case's access group."""
    if not text.strip() or not cases:
        return {}
    keys = search.matching_keys_in_cases(text, [c.pk for c in cases], "file:")
    ids = [key.split(":", 1)[1] for key, _case in keys]
    files = list(DocumentFile.objects.filter(pk__in=ids).select_related(
        "document", "document__case").order_by("document__number", "added_at"))
    readable = page.readable_documents({f.document for f in files})
    texts = dict(ExtractedText.objects.filter(
        source__in=[f.content_id for f in files if f.document_id in readable]
    ).values_list("source", "text"))
    hits: dict = {}
    for file in files:
        if file.document_id not in readable or file.content_id not in texts:
            continue
        segments = snippet(texts[file.content_id], text)
        if segments and len(hits.setdefault(file.document.case_id, [])) < per_case:
            hits[file.document.case_id].append(FileHit(file, segments))
    return hits


def renditions_of(files) -> dict[str, Rendition]:
    """content hash -> the rendition made from it (for files already shown)."""
    return Rendition.objects.in_bulk([f.content_id for f in files])


def preview_of(file: DocumentFile, number: int) -> StoredFile | None:
    """The preview image of page `number` (from 1) of the file's rendition, if made. The
    caller has decided that the viewer may read the file (the policy's page)."""
    rendition = Rendition.objects.filter(source=file.content_id).first()
    if rendition is None or not 1 <= number <= len(rendition.previews):
        return None
    return StoredFile.objects.filter(sha256=rendition.previews[number - 1],
                                     content_removed_at__isnull=True).first()


def rendition_content(file: DocumentFile) -> StoredFile | None:
    rendition = Rendition.objects.filter(source=file.content_id, state="ok").first()
    if rendition is None:
        return None
    return StoredFile.objects.filter(sha256=rendition.content,
                                     content_removed_at__isnull=True).first()


def templates_for(case: Case) -> QuerySet[DocumentTemplate]:
    """The active templates offered in a case: its authority's and its municipality's."""
    return DocumentTemplate.objects.filter(
        Q(authority=case.authority_id) | Q(authority__isnull=True),
        municipality_id=case.authority.municipality_id, active=True,
    ).prefetch_related("record_types").order_by("name")


def managed_templates(user: User) -> QuerySet[DocumentTemplate]:
    """The templates an administrator manages: of their authorities, and municipality-wide
    ones of their authorities' municipalities."""
    qs = DocumentTemplate.objects.select_related("authority", "municipality", "created_by")
    if user.is_superuser:
        return qs.order_by("-active", "name")
    authorities = access_for(user).authorities_with({Role.ADMINISTRATOR})
    municipalities = Authority.objects.filter(pk__in=authorities).values("municipality_id")
    return qs.filter(Q(authority__in=authorities) | Q(
        authority__isnull=True, municipality__in=municipalities)).order_by("-active", "name")
