"""Decision bodies and their members."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.board.models import Body, BodyKind, MemberRole, Membership, Office
from diarium.board.services._common import record, require_secretary
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import access_for


@atomic_with_retry
def create_body(actor: Actor, authority: Authority, name: str, kind: str = BodyKind.BOARD,
                minutes_kept_at: str = "") -> Body:
    require_secretary(actor, authority.pk)
    if not name.strip():
        raise ValidationError({"name": _("A body needs a name.")})
    if kind not in BodyKind.values:
        raise ValidationError({"kind": _("Unknown kind of body.")})
    if Body.objects.filter(authority=authority, name=name.strip()).exists():
        raise ValidationError({"name": _("The authority already has a body of that name.")})
    body = Body.objects.create(authority=authority, name=name.strip(), kind=kind,
                               minutes_kept_at=minutes_kept_at.strip())
    record(actor, "board.body_created", body, authority.pk, after={"name": body.name})
    return body


@dataclass
class MemberData:
    name: str
    term_start: dt.date
    term_end: dt.date
    party: str = ""
    role: str = MemberRole.MEMBER
    office: str = Office.NONE
    email: str = ""
    user: User | None = None


def _validate_member(body: Body, data: MemberData) -> None:
    errors = {}
    if not data.name.strip():
        errors["name"] = _("A member needs a name.")
    if data.term_end < data.term_start:
        errors["term_end"] = _("The term ends before it starts.")
    if data.role not in MemberRole.values or data.office not in Office.values:
        errors["role"] = _("Unknown role or office.")
    if data.office and data.role != MemberRole.MEMBER:
        errors["office"] = _("Only a member (ledamot) holds an office.")
    if data.user is not None and access_for(data.user).is_staff_member:
        # A member's login reads their meetings' documents and nothing else.
        errors["user"] = _("A member's login must not hold a staff role.")
    if data.office and Membership.objects.filter(
            body=body, office=data.office, term_start__lte=data.term_end,
            term_end__gte=data.term_start).exists():
        errors["office"] = _("Someone already holds that office in the term.")
    if errors:
        raise ValidationError(errors)


@atomic_with_retry
def add_member(actor: Actor, body: Body, data: MemberData) -> Membership:
    require_secretary(actor, body.authority_id)
    _validate_member(body, data)
    member = Membership.objects.create(
        body=body, name=data.name.strip(), party=data.party.strip(), role=data.role,
        office=data.office, term_start=data.term_start, term_end=data.term_end,
        email=data.email.strip(), user=data.user)
    record(actor, "board.member_added", member, body.authority_id,
           after={"body": body.name, "name": member.name, "party": member.party,
                  "role": member.role, "office": member.office})
    return member
