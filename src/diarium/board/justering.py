"""Justering: the minutes signed electronically (PAdES) in order, the chair first and then
each justerare, through the registry's signing workflow (registry/services/signatures.py,
docs/signatures.md).

Rules kept here:
- The minutes go out for justering only when every signer can sign: each is a member with
  a staff user account that holds a role in the authority and has a signing key. The
  refusal names each signer and what the secretary must do, and nothing is registered.
- The request names the signers in the justering order (the chair, or the vice chair who
  chaired, then the justerare by name); the registry refuses a signature out of turn, and
  so does `sign` here, with who signs now.
- The justering is complete when the last signature is in place and validated: the
  registry's `signatures_completed` signal (after its commit) and the last signer's own
  `sign` both call `complete`, which completes it once (the meeting's row is locked and
  its status checked). The date of justering is the Stockholm date of the last
  signature. The signed PDF is a file of the minutes (the registry attaches it), so it
  goes to the e-archive with them.
The board depends on the registry here, never the reverse: the registry knows the request
only by its `purpose`."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from diarium.board.models import (
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Office,
)
from diarium.board.services._common import locked_meeting
from diarium.core.actors import Actor
from diarium.core.calendar import stockholm_date
from diarium.core.transactions import atomic_with_retry
from diarium.documents.signature_models import (
    RequestStatus,
    SignatureRequest,
    SignatureStep,
    SignerKey,
    StepState,
)
from diarium.organisation.selectors import access_for
from diarium.registry import services as registry
from diarium.registry.models import Document
from diarium.registry.services import signatures
from diarium.registry.visibility import policy_for

log = logging.getLogger(__name__)
OFFICE_ORDER = [Office.CHAIR, Office.FIRST_VICE, Office.SECOND_VICE]
PURPOSE = "board.minutes"


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


def signer_problems(meeting: Meeting) -> list[str]:
    """Why a signer could not sign the minutes, one sentence each (empty: all can)."""
    problems = []
    authority = meeting.body.authority
    for member in signers(meeting):
        user = member.user
        if user is None:
            problems.append(_(
                "%(name)s has no user account: link the member to a staff user account "
                "(the body's members) before the minutes go out for justering.")
                % {"name": member.name})
        elif not user.is_active or not access_for(user).has_any_role(authority.pk):
            problems.append(_(
                "%(name)s's user account %(user)s holds no role in %(authority)s: an "
                "administrator gives it one (e.g. reader) so that they may read and sign "
                "the minutes.") % {"name": member.name, "user": user.get_username(),
                                   "authority": authority.name})
        elif not SignerKey.objects.filter(user=user, active=True).exists():
            problems.append(_(
                "%(name)s (%(user)s) has no signing key: they register one under To sign "
                "(or an administrator registers it) before the minutes go out for "
                "justering.") % {"name": member.name, "user": user.get_username()})
    return problems


def require_signers(meeting: Meeting) -> list[Membership]:
    order = signers(meeting)
    if chair_of(meeting) is None:
        raise ValidationError({"signers": _("Record who chaired (the chair or a vice chair "
                                            "present) first.")})
    problems = signer_problems(meeting)
    if problems:
        raise ValidationError({"signers": problems})
    return order


def request_signatures(actor: Actor, meeting: Meeting, minutes: Document
                       ) -> SignatureRequest:
    """In the caller's transaction: ask the signers to sign the final minutes in order.
    A signer who may not read secret minutes joins the meeting case's access group."""
    order = require_signers(meeting)
    for member in order:
        if not policy_for(member.user).document(minutes).content:
            registry.grant_case_access(actor, minutes.case, member.user)
    specs = [signatures.SignerSpec(m.user, _("chair") if n == 0 and m.office in OFFICE_ORDER
                                   else _("adjuster")) for n, m in enumerate(order)]
    return signatures.request_signatures(actor, minutes.final_version, specs,
                                         purpose=PURPOSE)


def current_request(meeting: Meeting) -> SignatureRequest | None:
    """The minutes' signature request: the one awaiting signatures, else the newest."""
    if meeting.minutes_document_id is None:
        return None
    found = SignatureRequest.objects.filter(document=meeting.minutes_document_id,
                                            purpose=PURPOSE)
    return (found.filter(status=RequestStatus.PENDING).first()
            or found.order_by("-requested_at").first())


def steps(meeting: Meeting) -> list[SignatureStep]:
    """The request's steps in order (who, role, signed when), for the pages; each with
    `member`, the membership of its signer (None for a signer no longer among them)."""
    request = current_request(meeting)
    if request is None:
        return []
    found = list(request.steps.select_related("signer", "report").order_by("position"))
    members = {m.user_id: m for m in signers(meeting)}
    for step in found:
        step.member = members.get(step.signer_id)
    return found


def next_signer(meeting: Meeting) -> Membership | None:
    """The member whose turn it is to sign (None when nobody's or no request)."""
    request = current_request(meeting)
    if request is None or request.status != RequestStatus.PENDING:
        return None
    step = signatures.next_step(request)
    if step is None:
        return None
    return next((m for m in signers(meeting) if m.user_id == step.signer_id), None)


def sign(actor: Actor, meeting: Meeting) -> SignatureStep:
    """The signer whose turn it is signs the minutes (PAdES, with their own key). When the
    last signature is in place, the justering is completed."""
    meeting = Meeting.objects.select_related("body__authority").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.JUSTERING:
        raise ValidationError({"meeting": _("The minutes are not out for justering.")})
    request = current_request(meeting)
    if request is None or request.status != RequestStatus.PENDING:
        raise ValidationError({"meeting": _(
            "The minutes await no signatures: the secretary sends them for justering "
            "again.")})
    step = signatures.next_step(request)
    if step is None or step.signer_id != getattr(actor, "pk", None):
        member = next_signer(meeting)
        who = member.name if member else step.signer.get_username() if step else ""
        raise PermissionDenied(_("It is not your turn to sign these minutes (%(who)s "
                                 "signs now).") % {"who": who})
    done = signatures.sign(actor, request)
    request.refresh_from_db()
    if request.status == RequestStatus.COMPLETED:
        complete(request)
    return done


@atomic_with_retry
def complete(request: SignatureRequest) -> Meeting | None:
    """Complete the justering of the minutes the request signed (once): the date is the
    last signature's, the actor its signer. None when there is nothing to complete."""
    if request.purpose != PURPOSE or request.status != RequestStatus.COMPLETED:
        return None
    found = Meeting.objects.filter(minutes_document_id=request.document,
                                   status=MeetingStatus.JUSTERING).first()
    if found is None:
        return None
    meeting = locked_meeting(found)
    if meeting.status != MeetingStatus.JUSTERING:
        return None
    last = request.steps.filter(state=StepState.SIGNED).select_related(
        "signer").order_by("-position").first()
    from diarium.board.services.minutes import complete_justering

    complete_justering(last.signer, meeting, stockholm_date(last.signed_at))
    return meeting


def on_signatures_completed(sender, request: SignatureRequest, **kwargs) -> None:
    """The registry's signal, after the commit of the last signature (from any page)."""
    if request.purpose != PURPOSE:
        return
    try:
        complete(request)
    except Exception:  # the signing is committed; the secretary completes it from the page
        log.exception("board: the justering of %s could not be completed", request.document)


def complete_now(actor: Actor, meeting: Meeting) -> Meeting | None:
    """The secretary completes a justering whose signatures are all in place but whose
    completion did not run (it failed after the last signature was committed)."""
    from diarium.board.services._common import require_secretary

    require_secretary(actor, meeting.body.authority_id)
    request = current_request(meeting)
    if (meeting.status != MeetingStatus.JUSTERING or request is None
            or request.status != RequestStatus.COMPLETED):
        raise ValidationError({"meeting": _("The minutes are not signed by everyone yet.")})
    return complete(request)


@atomic_with_retry
def request_again(actor: Actor, meeting: Meeting) -> SignatureRequest:
    """Send the minutes for justering again after their request was cancelled (the
    signatures already made stay in the audit log; the new request starts over)."""
    from diarium.board.services._common import record, require_secretary

    require_secretary(actor, meeting.body.authority_id)
    meeting = locked_meeting(meeting)
    request = current_request(meeting)
    if meeting.status != MeetingStatus.JUSTERING or (
            request is not None and request.status != RequestStatus.CANCELLED):
        raise ValidationError({"meeting": _("The minutes already await their signatures.")})
    minutes = Document.objects.select_related("case").get(pk=meeting.minutes_document_id)
    new = request_signatures(actor, meeting, minutes)
    record(actor, "board.minutes_sent_again", meeting, meeting.body.authority_id,
           after={"signature_request": new.pk})
    return new
