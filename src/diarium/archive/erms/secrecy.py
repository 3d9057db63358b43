"""A secrecy marking (sekretessmarkering, OSL 5:5) as an ERMS restriction: the provision,
what is withheld from the public, the date of marking and the authority that marked it.

No end date is written: a marking holds no secrecy period in Diarium (the registry stores
the provision, not how long secrecy may last), and the longest time a provision allows is
not an end date either, since every request gets a fresh secrecy review."""

from __future__ import annotations

from lxml import etree

from diarium.registry.models import SecrecyMarking

from . import xml

_WITHHELD = ("titel", "parter", "filer")


def explanation(marking: SecrecyMarking) -> str:
    withheld = [label for label, on in zip(_WITHHELD, (
        marking.withhold_title, marking.withhold_parties, marking.withhold_files),
        strict=True) if on]
    text = f"Sekretessmarkering (OSL 5 kap. 5 §) enligt {marking.secrecy_provision}."
    if marking.secrecy_authority is not None:
        text += f" Markerad av {marking.secrecy_authority.name}."
    if withheld:
        text += " Undantaget från allmänheten: " + ", ".join(withheld) + "."
    return text


def restriction(parent: etree._Element, marking: SecrecyMarking) -> None:
    if marking.is_secret:
        xml.restriction(parent, marking.secrecy_provision, explanation(marking),
                        marking.secrecy_marked_on)
