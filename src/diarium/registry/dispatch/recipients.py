"""Recipients as given (a contact, a unit, a staff member, an e-mail or a postal
address) checked and written out as the name and addresses they are sent to.

Everything that may end up in a mail header (a name, an address) is refused when it holds a
line break or another control character: such a value is how a header is injected."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from diarium.organisation.models import Unit, User
from diarium.registry.dispatch.models import RecipientKind
from diarium.registry.models import Party

MAX_NAME = 300


@dataclass
class RecipientInput:
    """One recipient as asked for. For a contact or a staff member the name and
    addresses come from the register unless given here."""

    kind: str
    party: Party | None = None
    unit: Unit | None = None
    user: User | None = None
    name: str = ""
    email: str = ""
    postal_address: str = ""


def has_control(text: str) -> bool:
    """A control character or a Unicode line or paragraph separator (U+2028, U+2029)."""
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def _party_address(party: Party) -> str:
    town = " ".join(p for p in (party.postal_code, party.city) if p)
    return "\n".join(p for p in (party.address, town) if p.strip())


def _filled(given: RecipientInput) -> RecipientInput:
    if given.kind == RecipientKind.PARTY and given.party is not None:
        p = given.party
        return RecipientInput(given.kind, party=p, name=given.name or p.name,
                              email=given.email or p.email,
                              postal_address=given.postal_address or _party_address(p))
    if given.kind == RecipientKind.STAFF and given.user is not None:
        u = given.user
        return RecipientInput(given.kind, user=u,
                              name=given.name or u.get_full_name() or u.get_username(),
                              email=given.email or u.email,
                              postal_address=given.postal_address)
    if given.kind == RecipientKind.UNIT and given.unit is not None:
        return RecipientInput(given.kind, unit=given.unit, name=given.name or given.unit.name,
                              email=given.email, postal_address=given.postal_address)
    return given


def _missing_link(given: RecipientInput) -> bool:
    need = {RecipientKind.PARTY: given.party, RecipientKind.UNIT: given.unit,
            RecipientKind.STAFF: given.user}
    return given.kind in need and need[given.kind] is None


def clean(given: RecipientInput, index: int) -> dict:
    """The row values of one recipient, or ValidationError naming it (by its place)."""
    if given.kind not in RecipientKind.values:
        raise ValidationError({"recipients": _("Recipient %(n)s: unknown kind.") % {
            "n": index}})
    if _missing_link(given):
        raise ValidationError({"recipients": _("Recipient %(n)s: choose who.") % {"n": index}})
    r = _filled(given)
    if has_control(r.name) or not r.name.strip() or len(r.name) > MAX_NAME:
        raise ValidationError({"recipients": _(
            "Recipient %(n)s: a name without line breaks is needed.") % {"n": index}})
    name, email = " ".join(r.name.split()), r.email
    label = name[:60]
    if email:
        if has_control(email) or email != email.strip():
            raise ValidationError({"recipients": _(
                "%(name)s: the e-mail address is not valid.") % {"name": label}})
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"recipients": _(
                "%(name)s: the e-mail address is not valid.") % {"name": label}}) from None
    postal = "\n".join(line.strip() for line in r.postal_address.splitlines() if line.strip())
    if r.kind == RecipientKind.EMAIL and not email:
        raise ValidationError({"recipients": _("%(name)s: an e-mail address is needed.") % {
            "name": label}})
    if r.kind == RecipientKind.POSTAL and not postal:
        raise ValidationError({"recipients": _("%(name)s: a postal address is needed.") % {
            "name": label}})
    return {"kind": r.kind, "party": r.party, "unit": r.unit, "user": r.user, "name": name,
            "email": email, "postal_address": postal}


def clean_all(given: list[RecipientInput]) -> list[dict]:
    return [clean(r, n) for n, r in enumerate(given, 1)]
