"""Justering: the ordered sign-off of the minutes, the chair first and then each
justerare, each recorded (who, when).

This module is the seam to electronic signing (PAdES): `sign` is the one function the
pages call when a signer approves the minutes. It records the sign-off and, when the last
signer has signed, completes the justering (board/services/minutes.py). To sign with
PAdES instead, `sign` applies the signer's signature to `meeting.minutes_document` in the
signing workflow and records the sign-off when that signature is in place."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board.models import (
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Office,
    SignOff,
)
from diarium.board.services._common import locked_meeting, record
from diarium.core.actors import Actor
from diarium.core.calendar import stockholm_date
from diarium.core.transactions import atomic_with_retry

OFFICE_ORDER = [Office.CHAIR, Office.FIRST_VICE, Office.SECOND_VICE]


def chair_of(meeting: Meeting) -> Membership | None:
    """Who chaired: the chair if present, else the first vice chair present, and so on."""
    present = {a.member_id: a.member for a in meeting.attendance.filter(
        status=AttendanceStatus.PRESENT).select_related("member")}
    for office in OFFICE_ORDER:
        for member in present.values():
            if member.office == office:
                return member
    return None


def signers(meeting: Meeting) -> list[Membership]:
    """The signing order: the chair, then the justerare by name."""
    chair = chair_of(meeting)
    adjusters = [m for m in meeting.adjusters.order_by("name") if chair is None
                 or m.pk != chair.pk]
    return ([chair] if chair else []) + adjusters


def next_signer(meeting: Meeting) -> Membership | None:
    signed = set(meeting.signoffs.values_list("member_id", flat=True))
    return next((m for m in signers(meeting) if m.pk not in signed), None)


@atomic_with_retry
def sign(actor: Actor, meeting: Meeting) -> SignOff:
    """The signer whose turn it is approves the minutes with their own login."""
    meeting = locked_meeting(meeting)
    if meeting.status != MeetingStatus.JUSTERING:
        raise ValidationError({"meeting": _("The minutes are not out for justering.")})
    signer = next_signer(meeting)
    if signer is None or signer.user_id is None or signer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("It is not your turn to sign these minutes."))
    signoff = SignOff.objects.create(meeting=meeting, member=signer,
                                     order=meeting.signoffs.count() + 1, signed_by=actor,
                                     signed_at=timezone.now())
    record(actor, "board.minutes_signed", meeting, meeting.body.authority_id,
           after={"member": signer.pk, "order": signoff.order})
    if next_signer(meeting) is None:
        from diarium.board.services.minutes import complete_justering

        complete_justering(actor, meeting, stockholm_date(signoff.signed_at))
    return signoff
