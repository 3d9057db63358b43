"""The archive creator (arkivbildare) of an exported case: the authority, identified by its
organisationsnummer, which is the authority's own or else its municipality's (a municipal
board is no legal person of its own and shares the municipality's number).

A number that is not a valid organisationsnummer (format, third digit, Luhn check digit)
stops the export with ErmsInvalid before anything is written: the archive identifies the
creator by it, so a typing error must not reach it."""

from __future__ import annotations

from diarium.organisation.models import Authority, Municipality
from diarium.registry.identity import InvalidIdentity, normalise_organisationsnummer

from .schema import ErmsInvalid, Problem

RULE = "DIARIUM-ORGANISATIONSNUMMER"


def organisation_number(owner: Authority | Municipality, subject: str = "") -> str:
    """The owner's number as NNNNNN-NNNN ("" when none is set); an authority without one
    of its own gets its municipality's."""
    value = owner.organisation_number.strip()
    if not value and isinstance(owner, Authority):
        return organisation_number(owner.municipality, subject)
    if not value:
        return ""
    try:
        return normalise_organisationsnummer(value)
    except InvalidIdentity as exc:
        raise ErmsInvalid([Problem(RULE, f"{owner.name}: organisationsnummer {value!r} is "
                                         f"not valid ({exc})")], subject) from exc


def digits(number: str) -> str:
    """The ten digits without the hyphen, as CITS ERMS and the Swedish profile write it."""
    return number.replace("-", "")
