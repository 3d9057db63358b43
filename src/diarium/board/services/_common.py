"""What the board's services share: the role checks, the audit chain, locking, and
registering a generated PDF in a case (checked as PDF/A at once, so that it can be
dispatched and signed in the same transaction: the registry's processing finds it done)."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.board import planning
from diarium.board.models import AgendaItem, Body, Meeting
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.documents import processing
from diarium.documents.models import RenditionState
from diarium.documents.services import store_content
from diarium.organisation.models import Role
from diarium.organisation.selectors import holds
from diarium.registry import services as registry
from diarium.registry.models import Case, Document

# Who runs the board process of an authority: its board secretaries (and administrators).
SECRETARY_ROLES = frozenset({Role.SECRETARY, Role.ADMINISTRATOR})
# Who may mark a case ready for decision.
OFFICER_ROLES = frozenset({Role.OFFICER, Role.SECRETARY, Role.REGISTRATOR,
                           Role.ADMINISTRATOR})


def require_secretary(actor: Actor, authority_id) -> None:
    actors.require(actor, "board.manage", holds(authority_id, SECRETARY_ROLES),
                   _("Only the board secretary may do this."))


def require_officer(actor: Actor, authority_id) -> None:
    actors.require(actor, "board.prepare", holds(authority_id, OFFICER_ROLES),
                   _("You lack the role needed for this in this authority."))


def chain(authority_id) -> str:
    return f"authority:{authority_id}"


def record(actor: Actor, action: str, obj, authority_id, **kwargs) -> None:
    audit.record(actor=actor, action=action, obj=obj, chain=chain(authority_id), **kwargs)


def locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("body__authority").get(
        pk=meeting.pk)


def locked_item(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update(of=("self",)).select_related(
        "meeting__body__authority", "proposal__case").get(pk=item.pk)


def require_state(meeting: Meeting, *states: str) -> None:
    if meeting.status not in states:
        raise ValidationError({"meeting": _("The meeting is not in a state that allows "
                                            "this (%(state)s).")
                               % {"state": meeting.get_status_display()}})


def body_of(obj) -> Body:
    return obj if isinstance(obj, Body) else obj.body


def refuse(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def checked_pdfa(data: bytes, name: str) -> None:
    """Make the PDF's rendition now (for a PDF/A: the check that it is one), as the
    registry's processing job would; refused when the check fails."""
    stored = store_content(io.BytesIO(data), mime_type="application/pdf")
    rendition = processing.process(stored, name).rendition
    if rendition.state != RenditionState.OK:
        raise ValidationError({"document": _("%(name)s did not pass the PDF/A check: "
                                             "%(why)s") % {"name": name,
                                                          "why": rendition.error}})


def _data(case: Case, title: str, secrecy: registry.Secrecy | None,
          kind: str) -> registry.DocumentData:
    today = timezone.localdate()
    return registry.DocumentData(
        direction="internal", title=title, document_date=today,
        record_type=planning.record_type(case.authority_id, kind, today) if kind else None,
        secrecy=secrecy or registry.Secrecy())


def register_pdf(actor: Actor, case: Case, title: str, data: bytes,
                  secrecy: registry.Secrecy | None = None, kind: str = "") -> Document:
    """Register a PDF the board made; kind: its record type's name in the sample plan
    (board/planning.py), used when the authority's plan has it."""
    name = registry.safe_file_name(f"{title}.pdf")
    checked_pdfa(data, name)
    return registry.register_document(
        actor, case, _data(case, title, secrecy, kind),
        [registry.Upload(io.BytesIO(data), name, "application/pdf")])


def register_final_pdf(actor: Actor, case: Case, title: str, data: bytes,
                       secrecy: registry.Secrecy | None = None, kind: str = "") -> Document:
    """Register a PDF the board made as a final document (fastställd): a draft with the
    PDF as its version, made final at once, so that the registration points at that
    exact version and it can be signed. Its PDF/A rendition must already exist
    (checked_pdfa)."""
    name = registry.safe_file_name(f"{title}.pdf")
    draft = registry.create_draft(actor, case, _data(case, title, secrecy, kind),
                                  registry.Upload(io.BytesIO(data), name, "application/pdf"))
    return registry.finalise(actor, draft)


def meeting_secrecy(meeting: Meeting) -> registry.Secrecy:
    """The marking of a kallelse or minutes that carry a secret case's item: the first
    such case's provision, the files withheld (the title names only the meeting)."""
    for item in meeting.items.filter(proposal__isnull=False).select_related("proposal__case"):
        case = item.proposal.case
        if case.is_secret:
            return registry.Secrecy(provision=case.secrecy_provision, withhold_files=True)
    return registry.Secrecy()
