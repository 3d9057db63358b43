"""Writes of disposal besides drawing up and executing a list: the second person's
decision on a list (the four-eyes rule), and legal holds on archived packages. Each is one
transaction with its audit event in the authority's chain."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive.models import ArchiveHold, DisposalRun, Package, PackageState, RunState
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry

from . import access


def _chain(authority_id) -> str:
    return f"authority:{authority_id}"


def _require(actor: Actor, authority_id, permission: str = "disposal.hold") -> None:
    actors.require(actor, permission, lambda user: access.handles(user, authority_id),
                   _("Only the authority's archivists and administrators may handle "
                     "disposal."))


@atomic_with_retry
def approve(actor: Actor, run: DisposalRun, decision_reference: str,
            note: str = "") -> DisposalRun:
    """Approve a proposed list under a disposal decision, e.g. "Gallringsbeslut KS 2024:1"
    or the plan's adoption "KS 2026-03-14 § 45". Not by the person who drew it up."""
    if not decision_reference.strip():
        raise ValidationError({"decision_reference": _(
            "Give the disposal decision the list is approved under.")})
    return _decide(actor, run, RunState.APPROVED, decision_reference.strip(), note.strip())


@atomic_with_retry
def reject(actor: Actor, run: DisposalRun, note: str = "") -> DisposalRun:
    return _decide(actor, run, RunState.REJECTED, "", note.strip())


def _decide(actor: Actor, run: DisposalRun, state: str, reference: str,
            note: str) -> DisposalRun:
    run = DisposalRun.objects.select_for_update(of=("self",)).select_related(
        "authority").get(pk=run.pk)
    # Four eyes are two persons: one drew the list up (create_run takes persons only),
    # another decides; a list whose author is unknown is not decided at all.
    actors.require_person(actor, _("A disposal list is approved or rejected by a person."))
    _require(actor, run.authority_id, "disposal.decide")
    if run.created_by_id is None or run.created_by_id == actor.pk:
        raise PermissionDenied(_("A disposal list is approved or rejected by someone other "
                                 "than the person who drew it up."))
    if run.state != RunState.PROPOSED:
        raise ValidationError({"state": _("The list has already been decided on.")})
    run.state, run.decision_reference, run.decision_note = state, reference[:300], note
    run.decided_by, run.decided_at = actor, timezone.now()
    run.save(update_fields=["state", "decision_reference", "decision_note", "decided_by",
                            "decided_at"])
    action = ("archive.disposal_approved" if state == RunState.APPROVED
              else "archive.disposal_rejected")
    audit.record(actor=actor, action=action, obj=run, chain=_chain(run.authority_id),
                 before={"state": RunState.PROPOSED},
                 after={"state": state, "list": run.label, "decision": reference,
                        "note": note, "items": run.item_count})
    return run


@atomic_with_retry
def place_hold(actor: Actor, package: Package, reason: str, reference: str = "") -> ArchiveHold:
    """Hold an archived package: it is on no disposal list while the hold is active."""
    package = Package.objects.select_related("creator").get(pk=package.pk)
    _require(actor, package.creator.authority_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the hold.")})
    if package.state == PackageState.DISPOSED:
        raise ValidationError({"package": _("The package is disposed of.")})
    hold = ArchiveHold.objects.create(package=package, reason=reason.strip(),
                                      reference=reference.strip()[:200], placed_by=actor,
                                      placed_at=timezone.now())
    audit.record(actor=actor, action="archive.hold_placed", obj=package,
                 chain=_chain(package.creator.authority_id),
                 after={"hold": hold.pk, "reason": hold.reason, "reference": hold.reference})
    return hold


@atomic_with_retry
def release_hold(actor: Actor, hold: ArchiveHold, note: str = "") -> ArchiveHold:
    hold = ArchiveHold.objects.select_for_update(of=("self",)).select_related(
        "package__creator").get(pk=hold.pk)
    _require(actor, hold.package.creator.authority_id)
    if not hold.is_active:
        raise ValidationError({"hold": _("The hold is already released.")})
    hold.released_by, hold.released_at, hold.release_note = actor, timezone.now(), note.strip()
    hold.save(update_fields=["released_by", "released_at", "release_note"])
    audit.record(actor=actor, action="archive.hold_released", obj=hold.package,
                 chain=_chain(hold.package.creator.authority_id),
                 before={"hold": hold.pk, "reason": hold.reason},
                 after={"release_note": hold.release_note})
    return hold
