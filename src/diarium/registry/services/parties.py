"""The contact register shared by the authorities, and parties in cases."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.selectors import access_for
from diarium.registry import indexing, signals
from diarium.registry.identity import (
    InvalidIdentity,
    normalise_organisationsnummer,
    normalise_personnummer,
)
from diarium.registry.models import (
    Case,
    CaseParty,
    Party,
    PartyKind,
)
from diarium.registry.services._common import (
    _chain,
    _locked_case,
    _require_open,
    _require_visible_party,
    require_may_add,
)


def _normalise_identity(kind: str, identity: str) -> str:
    if not identity.strip():
        return ""
    try:
        if kind == PartyKind.PERSON:
            return normalise_personnummer(identity)
        return normalise_organisationsnummer(identity)
    except InvalidIdentity as exc:
        raise ValidationError({"identity_number": str(exc)}) from exc


@dataclass
class PartyData:
    """A new contact as given in a form: checked (identity number by its Luhn digit)
    before anything is written."""

    kind: str
    name: str
    identity_number: str = ""
    contact: dict = field(default_factory=dict)


def validate_party(data: PartyData) -> Party:
    """The unsaved Party for the data, or ValidationError."""
    if data.kind not in PartyKind.values:
        raise ValidationError({"kind": _("Unknown kind of party.")})
    if not data.name.strip():
        raise ValidationError({"name": _("A party needs a name.")})
    party = Party(
        kind=data.kind,
        name=data.name.strip(),
        identity_number=_normalise_identity(data.kind, data.identity_number),
        **data.contact,
    )
    party.full_clean(exclude=["created_by"])
    return party


def _require_staff(actor: Actor) -> None:
    actors.require(actor, "registry.parties", lambda user: access_for(user).is_staff_member,
                   _("Only staff may add contacts."))


@atomic_with_retry
def create_party(
    actor: Actor, *, kind: str, name: str, identity_number: str = "", **contact
) -> Party:
    return create_party_from(actor, PartyData(kind, name, identity_number, contact))


@atomic_with_retry
def create_party_from(actor: Actor, data: PartyData) -> Party:
    _require_staff(actor)
    party = validate_party(data)
    party.created_by = actors.user_of(actor)
    party.save()
    audit.record(actor=actor, action="party.created", obj=party, after={"name": party.name})
    return party


@atomic_with_retry
def add_party(actor: Actor, case: Case, party: Party, role: str = "") -> CaseParty:
    case = _locked_case(case)
    require_may_add(actor, case)
    _require_open(case)
    _require_visible_party(actor, party)
    return link_party(actor, case, party, role)


def link_party(actor: Actor, case: Case, party: Party, role: str = "") -> CaseParty:
    """Link a party to a locked case the actor may add to (inside the caller's
    transaction), audited. The caller has checked that the actor may add to the case;
    a missing actor is refused here before anything is written."""
    if actor is None:
        raise actors.MissingActor()
    link, _created = CaseParty.objects.get_or_create(case=case, party=party, role=role.strip())
    audit.record(
        actor=actor,
        action="case.party_added",
        obj=case,
        chain=_chain(case),
        case_id=case.id,
        after={"party": party.pk, "role": link.role},
    )
    indexing.index_case(case)
    signals.changed([case.pk])
    return link


@atomic_with_retry
def add_new_party(actor: Actor, case: Case, data: PartyData, role: str = "") -> CaseParty:
    """Create a contact and link it to the case in one transaction: a refused link
    leaves no contact behind."""
    case = _locked_case(case)
    require_may_add(actor, case)
    _require_open(case)
    party = create_party_from(actor, data)
    return link_party(actor, case, party, role)
