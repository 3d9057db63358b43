"""What the registry services share: the inputs they take, permission checks, snapshots
for the audit log, and locking a case."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.core import actors, visibility
from diarium.core.actors import Actor
from diarium.documents.models import StoredFile
from diarium.organisation.models import Authority, Municipality, Unit, User
from diarium.organisation.selectors import REGISTERING_ROLES, holds
from diarium.registry import selectors
from diarium.registry.models import (
    Case,
    CaseStatus,
    Document,
    Party,
    SecrecyProvision,
)
from diarium.registry.provisions import SEEDS, parse_citation

MAX_NAME_LENGTH = 255


def resolve_provision(text: str) -> SecrecyProvision | None:
    """The register's provision that the text names ("OSL 26:1", "26 kap. 1 §", …), or
    None. A provision of the seeded list that the register lacks is added back."""
    cited = parse_citation(text)
    if cited is None:
        return None
    found = SecrecyProvision.objects.filter(
        chapter=cited.chapter, section=cited.section, paragraph=cited.paragraph).first()
    if found is not None:
        return found if found.active else None
    for seed in SEEDS:
        if (seed.chapter, seed.section, seed.paragraph) == tuple(vars(cited).values()):
            return SecrecyProvision.objects.get_or_create(
                chapter=seed.chapter, section=seed.section, paragraph=seed.paragraph,
                defaults={"description": seed.description, "secrecy_years": seed.years},
            )[0]
    return None


@dataclass
class Secrecy:
    """A secrecy marking as given by a user; empty provision means no marking. The
    provision must name one of the register's provisions, except a text the record is
    already marked with (a marking from before the register), the plan's default
    (from_plan: the adopted plan's words stand) or a marking brought in from a former
    diarium (brought_in: the source's words stand, as the old register wrote them)."""

    provision: str = ""
    marked_on: dt.date | None = None
    withhold_title: bool = False
    withhold_parties: bool = False
    withhold_files: bool = False
    from_plan: bool = False
    brought_in: bool = False

    def check(self, current: str = "") -> None:
        """ValidationError when the provision names no provision of the register."""
        text = self.provision.strip()
        if not text or text == current or self.from_plan or self.brought_in:
            return
        if resolve_provision(text) is None:
            raise ValidationError({"secrecy_provision": _(
                "“%(text)s” is no secrecy provision of the register: choose one from the "
                "list, e.g. OSL 26 kap. 1 §.") % {"text": text}})

    def apply(self, obj, authority: Authority) -> None:
        text = self.provision.strip()
        current = obj.secrecy_provision
        self.check(current)
        cited = resolve_provision(text) if text else None
        if cited is not None:
            obj.osl_provision, provision = cited, cited.citation
        else:
            provision = text
            if text != current:
                obj.osl_provision = None
        obj.secrecy_provision = provision
        obj.secrecy_marked_on = (self.marked_on or timezone.localdate()) if provision else None
        obj.secrecy_authority = authority if provision else None
        obj.withhold_title = self.withhold_title and bool(provision)
        obj.withhold_parties = self.withhold_parties and bool(provision)
        obj.withhold_files = self.withhold_files and bool(provision)


@dataclass
class Upload:
    """A file as it arrives: a readable stream and the name the sender gave it."""

    stream: BinaryIO
    name: str
    content_type: str | None = None


@dataclass
class StoredUpload:
    content: StoredFile
    name: str
    mime_type: str
    # The staged upload it came from (a form shown again): the registration uses it up.
    staged: uuid.UUID | None = None


@dataclass
class CaseData:
    title: str
    public_title: str = ""
    classification_code: str = ""
    responsible_officer: User | None = None
    responsible_unit: Unit | None = None
    municipality: Municipality | None = None
    follow_up_date: dt.date | None = None
    secrecy: Secrecy = field(default_factory=Secrecy)


def _require(actor: Actor, authority_id, roles: Iterable[str],
             permission: str = "registry.register") -> None:
    actors.require(actor, permission, holds(authority_id, roles),
                   _("You lack the role needed for this in this authority."))


def require_may_add(actor: Actor, case: Case) -> None:
    """The one rule for adding to a case (a document, a party, inbox mail), whichever
    path it comes by: a registering role in the case's authority and its content."""
    _require(actor, case.authority_id, REGISTERING_ROLES)
    if not visibility.policy_for(actor).may_add_to(case):
        raise PermissionDenied(_("Only the case's access group may change a secret case."))


def _require_visible_party(actor: User, party: Party | None) -> None:
    """A party the actor may not see cannot be linked: linking it would reveal it."""
    if party is not None and not visibility.policy_for(actor).party_visible(party):
        raise ValidationError({"party": _("There is no such party.")})


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.VOID:
        raise ValidationError({"case": _("The case is voided.")})
    if case.status == CaseStatus.DISPOSED:
        raise ValidationError({"case": _("The case is disposed of.")})


def case_snapshot(case: Case) -> dict:
    return {
        "diary_number": case.diary_number,
        "title": case.title,
        "public_title": case.public_title,
        "classification_code": case.classification_code,
        "responsible_officer": case.responsible_officer_id,
        "responsible_unit": case.responsible_unit_id,
        "municipality": case.municipality_id,
        "status": case.status,
        "follow_up_date": case.follow_up_date,
        "secrecy_provision": case.secrecy_provision,
        "withhold": [case.withhold_title, case.withhold_parties, case.withhold_files],
        "closing_note": case.closing_note,
        "void_reason": case.void_reason,
    }


def document_snapshot(doc: Document) -> dict:
    return {
        "number": doc.number,
        "direction": doc.direction,
        "record_type": doc.rule.name if doc.rule_id else "",
        "plan_rule": doc.rule_id,
        "title": doc.title,
        "public_title": doc.public_title,
        "document_date": doc.document_date,
        "sender_recipient": doc.sender_recipient,
        "party": doc.party_id,
        "status": doc.status,
        "secrecy_provision": doc.secrecy_provision,
        "withhold": [doc.withhold_title, doc.withhold_parties, doc.withhold_files],
        "void_reason": doc.void_reason,
    }


def _chain(case: Case) -> str:
    return f"authority:{case.authority_id}"


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("authority", "series").get(pk=case.pk)


def _may_manage(actor: Actor, case: Case) -> bool:
    return actors.may(actor, "registry.manage_case",
                      lambda user: selectors.can_manage_case(user, case))
