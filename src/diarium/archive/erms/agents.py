"""ERMS agents from Diarium's people and organisations: staff (with their username and
unit), parties (organisations with their organisationsnummer, people never with their
personnummer), the user behind an audit event, and the authority itself."""

from __future__ import annotations

from diarium.audit.models import AuditEvent
from diarium.organisation.models import Authority, Municipality, User
from diarium.registry.models import Party, PartyKind

from .creator import digits, organisation_number
from .xml import AgentData

ORGANISATION_NUMBER = "organisationsnummer"


def person(user: User | None, kind: str, unit: str = "") -> AgentData | None:
    """A member of staff; unit: the unit to name instead of the user's own."""
    if user is None:
        return None
    own = getattr(getattr(user, "unit", None), "name", "")
    return AgentData(kind, user.get_full_name() or user.get_username(), unit=unit or own,
                     id_number=user.get_username(), id_type="username")


def party(party: Party, kind: str, role: str, protected: bool) -> AgentData:
    """A party: organisations with their organisation number, people never with their
    personnummer. protected: the party is withheld under a secrecy marking."""
    number = ""
    if party.kind == PartyKind.ORGANISATION and party.identity_number:
        number = party.identity_number.replace("-", "")
    return AgentData(kind, party.name, id_number=number,
                     id_type=ORGANISATION_NUMBER if number else "", role=role,
                     protected=protected or bool(getattr(party, "protected_identity", False)))


def actor(event: AuditEvent) -> AgentData:
    """Who did what an audit event records (the system when nobody did)."""
    user = event.actor
    name = (user.get_full_name() or user.get_username()) if user else (event.actor_name or
                                                                      "Diarium")
    return AgentData("user", name, id_number=event.actor_name, id_type="username"
                     if event.actor_name else "")


def organisation(owner: Authority | Municipality, kind: str, subject: str = "",
                 parent: str = "") -> AgentData:
    """An authority or a municipality, with its organisationsnummer when it has one.
    parent: the organisation it belongs to (the municipality of a board)."""
    number = digits(organisation_number(owner, subject))
    return AgentData(kind, owner.name, organisation=parent, id_number=number,
                     id_type=ORGANISATION_NUMBER if number else "")
