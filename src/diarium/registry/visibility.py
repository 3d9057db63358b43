"""The registry's visibility policy (the interface is diarium.core.visibility).

Staff (the STAFF projection):
- A user works in the authorities where they hold a role; a user without any role sees
  nothing, a superuser everything.
- A record is secret when it carries a secrecy marking; a document also when its case does.
- A record that is not secret exists for all staff, with its content and files.
- A secret record exists only for staff of its authority. Its content and files are for
  the case's access group: the authority's registrators, archivists and administrators,
  the case's responsible officer, and the users added to the group — the last two only
  while they hold a role in the authority. Everyone else there sees a stub (the number).
- Adding to a case (a document, a party, inbox mail) needs a registering role in the
  case's authority and the case's content.
- A party of the shared register is visible through a case or document whose content
  the user may read, or to the user who created it.
- A draft (utkast, not yet an official document) exists only for the case's access group
  (as above, whether or not anything is marked); for everyone else it does not exist.

The public (the PUBLIC projection, for the coming portal): every registration exists with
its public fields; content never; files only when neither the document nor its case is
marked and the document is not disposed of. Drafts do not exist for the public.

Each rule is written twice, as a per-record answer and as a queryset filter, side by side
so they are read together; tests/permissions/test_visibility_property.py proves they agree."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from diarium.core import visibility
from diarium.core.visibility import NOTHING, PUBLIC, STUB, Projection, Shown, Sight
from diarium.organisation.models import User
from diarium.organisation.selectors import FULL_ACCESS_ROLES, REGISTERING_ROLES, access_for
from diarium.registry.models import Case, CaseParty, Document, DocumentStatus, Party

FULL = Sight(exists=True, public_fields=True, content=True, files=True)
ALL = Q(pk__isnull=False)  # not Q(): an empty Q vanishes when combined with others


def chain_of(case: Case) -> str:
    return f"authority:{case.authority_id}"


class RegistryPolicy:
    """One viewer's decisions about cases, documents and parties."""

    def __init__(self, user: User, projection: Projection = Projection.STAFF) -> None:
        self.user = user
        self.projection = projection
        self.access = access_for(user)

    # --- who the viewer is ---------------------------------------------------------

    @property
    def _public(self) -> bool:
        return self.projection == Projection.PUBLIC

    @property
    def _everything(self) -> bool:
        return not self._public and self.user.is_superuser

    @property
    def _nobody(self) -> bool:
        return not self._public and not (
            self.user.is_authenticated and self.access.is_staff_member
        )

    # --- per record -----------------------------------------------------------------

    def case(self, case: Case) -> Sight:
        return self._sight(case, case.is_secret)

    def document(self, document: Document) -> Sight:
        """A document is secret when it or its case is marked; a draft is for the case's
        access group only."""
        secret = document.is_secret or document.case.is_secret
        draft = document.status == DocumentStatus.DRAFT
        if self._public:
            if draft:
                return NOTHING
            disposed = document.status == DocumentStatus.DISPOSED
            return Sight(exists=True, public_fields=True, files=not (secret or disposed))
        if draft and not (self._everything or self.in_group(document.case)):
            return NOTHING
        return self._sight(document.case, secret)

    def _sight(self, case: Case, secret: bool) -> Sight:
        if self._public:
            return PUBLIC if secret else Sight(exists=True, public_fields=True, files=True)
        if self._nobody:
            return NOTHING
        if self._everything or not secret:
            return FULL
        if case.authority_id not in self.access.authority_ids():
            return NOTHING
        return FULL if self._in_group(case) else STUB

    def _in_group(self, case: Case) -> bool:
        """The access group of a secret case of one of the viewer's authorities."""
        if self.access.has(case.authority_id, FULL_ACCESS_ROLES):
            return True
        if case.responsible_officer_id == self.user.pk:
            return True
        return case.access_group.filter(pk=self.user.pk).exists()

    def party_visible(self, party: Party) -> bool:
        if self._public or self._nobody:
            return False
        if self._everything or party.created_by_id == self.user.pk:
            return True
        cases = (link.case for link in party.case_links.select_related("case"))
        if any(self.case(c).content for c in cases):
            return True
        docs = party.documents.select_related("case")
        return any(self.document(d).content for d in docs)

    def may_add_to(self, case: Case) -> bool:
        """The one rule for adding a document, a party or inbox mail to a case."""
        if self._public or self._nobody:
            return False
        return self.access.has(case.authority_id, REGISTERING_ROLES) and self.case(case).content

    # --- the same rules as queryset filters ---------------------------------------------

    def filter_cases(self, qs: QuerySet[Case], sight: str = "exists") -> QuerySet[Case]:
        return qs.filter(self._q(sight, prefix=""))

    def filter_documents(self, qs: QuerySet[Document], sight: str = "exists") -> QuerySet:
        if self._public and sight == "files":
            return qs.filter(secrecy_provision="", case__secrecy_provision="").exclude(
                status__in=[DocumentStatus.DISPOSED, DocumentStatus.DRAFT])
        return qs.filter(self._q(sight, prefix="case__", document=True))

    def _q(self, sight: str, prefix: str, document: bool = False) -> Q:
        if sight not in visibility.SIGHT_FIELDS:
            raise ValueError(f"unknown sight {sight!r}")
        not_secret = Q(**{f"{prefix}secrecy_provision": ""})
        not_draft = ~Q(status=DocumentStatus.DRAFT) if document else ALL
        if document:
            not_secret &= Q(secrecy_provision="")
        if self._public:
            return {"content": ~ALL, "files": not_secret & not_draft}.get(sight, not_draft)
        if self._nobody:
            return ~ALL
        if self._everything:
            return ALL
        own = Q(**{f"{prefix}authority_id__in": self.access.authority_ids()})
        group = own & self._group_q(prefix)
        drafts = not_draft | group if document else ALL
        if sight == "exists":
            return (not_secret | own) & drafts
        return (not_secret | group) & drafts

    def _group_q(self, prefix: str) -> Q:
        members = Case.access_group.through.objects.filter(
            case_id=OuterRef(f"{prefix}id"), user_id=self.user.pk)
        full = self.access.authorities_with(FULL_ACCESS_ROLES)
        return (Q(**{f"{prefix}authority_id__in": full})
                | Q(**{f"{prefix}responsible_officer_id": self.user.pk})
                | Q(Exists(members)))

    def filter_group(self, qs: QuerySet[Case]) -> QuerySet[Case]:
        """The cases whose secret content (a marked case, or a marked document in it)
        the viewer may read: the ones whose access group they belong to."""
        if self._public or self._nobody:
            return qs.none()
        if self._everything:
            return qs
        own = Q(authority_id__in=self.access.authority_ids())
        return qs.filter(own & self._group_q(""))

    def sees_unmarked(self) -> bool:
        """Whether every record without a secrecy marking (nor a draft) is readable to
        the viewer: to all staff, never in the public projection."""
        return not self._public and not self._nobody

    def filter_found(self, entries: QuerySet) -> QuerySet:
        """Search entries (search/models.py) whose words the viewer may find a case by:
        filter_group's rule read from the entry's own columns, so the database tests
        each matching entry instead of listing the group's cases first. An unrestricted
        entry counts for everyone who sees_unmarked(); a restricted one (a marked case,
        a marked document, a draft) for the case's access group: all of an authority's
        cases for its full-access roles, else the cases the viewer is responsible for or
        was added to. Agrees with `_text_q`'s plain form (tests/registry/
        test_search_fast_path.py)."""
        return entries.filter(self.found_rule())

    def found_rule(self) -> Q:
        """filter_found's condition on a search entry, to filter by or to count with (an
        empty Q for a viewer who finds by every entry)."""
        if not self.sees_unmarked():
            return Q(pk__in=[])
        if self._everything:
            return Q()
        # Asked per restricted entry of the viewer's other authorities only (few): one
        # primary-key or unique-index probe each, never a list of the authority's cases.
        mine = Case.objects.filter(pk=OuterRef("case_id"), responsible_officer_id=self.user.pk)
        added = Case.access_group.through.objects.filter(
            case_id=OuterRef("case_id"), user_id=self.user.pk)
        own = Q(authority_id__in=self.access.authority_ids())
        return (Q(restricted=False)
                | Q(authority_id__in=self.access.authorities_with(FULL_ACCESS_ROLES))
                | (own & (Exists(mine) | Exists(added))))

    def in_group(self, case: Case) -> bool:
        """filter_group for one case."""
        if self._public or self._nobody:
            return False
        if self._everything:
            return True
        return case.authority_id in self.access.authority_ids() and self._in_group(case)

    def filter_parties(self, qs: QuerySet[Party]) -> QuerySet[Party]:
        if self._public or self._nobody:
            return qs.none()
        if self._everything:
            return qs
        # Joins, not `case__in` subqueries: per party an indexed lookup of its links.
        linked = CaseParty.objects.filter(party_id=OuterRef("pk")).filter(
            self._q("content", prefix="case__"))
        named = Document.objects.filter(party_id=OuterRef("pk")).filter(
            self._q("content", prefix="case__", document=True))
        return qs.filter(Q(created_by_id=self.user.pk) | Exists(linked) | Exists(named))

    # --- pages ---------------------------------------------------------------------

    def page(self, view: str) -> RegistryPage:
        from diarium.registry.services import note_shown  # services import this module

        return RegistryPage(self.user, view, note_shown, policy=self)


class RegistryPage(visibility.Page):
    """A page view that shows cases and documents: it decides, for a whole page at once
    (one query), which of them the viewer may read, and notes the secret ones it shows."""

    def __init__(self, user, view, write, *, policy: RegistryPolicy) -> None:
        super().__init__(user, view, write)
        self.policy = policy

    def readable_cases(self, cases: Iterable[Case], *, shown: bool = True) -> set:
        """Ids of the cases whose content the viewer may read. shown: the page shows
        their content (then the secret ones are audited)."""
        cases = list(cases)
        group = self._group_ids({c.pk for c in cases if c.is_secret})
        policy = self.policy
        readable = {c.pk for c in cases
                    if (c.pk in group if c.is_secret else policy.case(c).content)}
        if shown:
            self.note(_shown(c, "registry.case", c) for c in cases
                      if c.is_secret and c.pk in readable)
        return readable

    def readable_documents(self, docs: Iterable[Document], *, shown: bool = True) -> set:
        """Ids of the documents whose content the viewer may read: secret ones and drafts
        for the case's access group. shown: the page shows them (the secret ones are
        audited; a draft that is not marked is not secret)."""
        docs = list(docs)
        secret = {d.pk for d in docs if d.is_secret or d.case.is_secret}
        restricted = secret | {d.pk for d in docs if d.status == DocumentStatus.DRAFT}
        group = self._group_ids({d.case_id for d in docs if d.pk in restricted})
        policy = self.policy
        readable = {d.pk for d in docs
                    if (d.case_id in group if d.pk in restricted
                        else policy.document(d).content)}
        if shown:
            self.note(_shown(d.case, "registry.document", d) for d in docs
                      if d.pk in secret and d.pk in readable)
        return readable

    def _group_ids(self, secret: set) -> set:
        """Of the secret cases (ids), those whose content the viewer may read: one query."""
        if not secret:
            return set()
        qs = Case.objects.filter(pk__in=list(secret))
        return set(self.policy.filter_group(qs).values_list("pk", flat=True))

    def show_case(self, case: Case) -> bool:
        return case.pk in self.readable_cases([case])

    def show_document(self, doc: Document) -> bool:
        return doc.pk in self.readable_documents([doc])


def _shown(case: Case, object_type: str, obj) -> Shown:
    return Shown(chain_of(case), object_type, str(obj.pk), case.pk)


def policy_for(user: User, projection: Projection = Projection.STAFF) -> RegistryPolicy:
    """The registry's policy with its registry-only extras (pages that judge cases and
    documents); other apps use diarium.core.visibility.policy_for."""
    return visibility.policy_for(user, projection)  # type: ignore[return-value]
