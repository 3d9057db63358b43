"""Writes that concern the plan's hold on registered documents: correcting a document's
record type (which recomputes its disposal date), placing and releasing holds, and marking
a document disposed of (called by the e-archive's disposal run). Transactional and
audited, like every service."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Role
from diarium.organisation.selectors import REGISTRY_ROLES, holds
from diarium.registry import disposal_dates, disposal_selectors, enforcement, indexing, signals
from diarium.registry.models import Case, CaseStatus, Document, DocumentStatus, Hold, HoldKind

# Who may place and release holds, per kind. Legal holds are the archivists' (and the
# administrators'); a request hold is also placed by the registry that handles requests.
HOLD_ROLES = {
    HoldKind.LEGAL: frozenset({Role.ARCHIVIST, Role.ADMINISTRATOR}),
    HoldKind.REQUEST: frozenset({Role.ARCHIVIST, Role.ADMINISTRATOR, Role.REGISTRATOR}),
}
# Who may correct a document's record type, or find it no longer current: the registry and
# the archivists.
RECORD_TYPE_ROLES = REGISTRY_ROLES | {Role.ARCHIVIST}


def _chain(case: Case) -> str:
    return f"authority:{case.authority_id}"


@atomic_with_retry
def set_record_type(actor: Actor, document: Document, record_type: object) -> Document:
    """Correct a document's record type (or give a legacy document one). The rule is the
    one in force when the document was registered; a record type the plan then lacked is
    taken from the plan in force today. The disposal date is recomputed."""
    doc = Document.objects.select_for_update(of=("self",)).select_related("case", "rule").get(
        pk=document.pk
    )
    case = doc.case
    _require_classifier(actor, case)
    rule = _rule_for_registered(case.authority_id, record_type, doc)
    before = {"record_type": doc.rule.name if doc.rule_id else "", "plan_rule": doc.rule_id,
              "disposal": [doc.disposal_outcome, doc.disposal_date]}
    doc.rule = rule
    doc.record_type_id = rule.record_type_id if rule else None
    disposal_dates.apply(doc, case)
    doc.save(update_fields=["record_type", "rule", "disposal_outcome", "disposal_date"])
    after = {"record_type": rule.name if rule else "", "plan_rule": doc.rule_id,
             "disposal": [doc.disposal_outcome, doc.disposal_date]}
    changed_before, changed_after = audit.diff(before, after)
    audit.record(
        actor=actor, action="document.record_type_changed", obj=doc, chain=_chain(case),
        case_id=case.pk, before=changed_before, after=changed_after,
    )
    indexing.index_document(doc)
    signals.changed([case.pk])
    return doc


@atomic_with_retry
def mark_no_longer_current(actor: Actor, document: Document, on: dt.date | None) -> Document:
    """Record the day a document was found no longer current (inaktualitet), or clear it
    with None. Rules counted "vid inaktualitet" then give a disposal date."""
    doc = Document.objects.select_for_update(of=("self",)).select_related("case", "rule").get(
        pk=document.pk
    )
    case = doc.case
    _require_classifier(actor, case)
    if on is not None and on > timezone.localdate():
        raise ValidationError({"date": _("The date lies in the future.")})
    before = {"no_longer_current_on": doc.no_longer_current_on,
              "disposal": [doc.disposal_outcome, doc.disposal_date]}
    doc.no_longer_current_on = on
    disposal_dates.apply(doc, case)
    doc.save(update_fields=["no_longer_current_on", "disposal_outcome", "disposal_date"])
    after = {"no_longer_current_on": doc.no_longer_current_on,
             "disposal": [doc.disposal_outcome, doc.disposal_date]}
    changed_before, changed_after = audit.diff(before, after)
    audit.record(
        actor=actor, action="document.no_longer_current", obj=doc, chain=_chain(case),
        case_id=case.pk, before=changed_before, after=changed_after,
    )
    return doc


def _require_classifier(actor: Actor, case: Case) -> None:
    actors.require(actor, "registry.classify", holds(case.authority_id, RECORD_TYPE_ROLES),
                   _("You lack the role needed for this in this authority."))


def _rule_for_registered(authority_id, record_type: object, doc: Document):
    registered_on = timezone.localdate(doc.registered_at)
    try:
        return enforcement.resolve_rule(authority_id, record_type, registered_on)
    except ValidationError:
        return enforcement.resolve_rule(authority_id, record_type, timezone.localdate())


@atomic_with_retry
def place_hold(
    actor: Actor, *, reason: str, case: Case | None = None,
    document: Document | None = None, kind: str = HoldKind.LEGAL, reference: str = "",
) -> Hold:
    """Hold a case (all its documents) or one document: while the hold is active nothing
    held appears on the disposal report."""
    if (case is None) == (document is None):
        raise ValidationError(_("A hold is placed on a case or on a document."))
    if kind not in HoldKind.values:
        raise ValidationError({"kind": _("Unknown kind of hold.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the hold.")})
    owner = case if case is not None else document.case
    _require_hold_role(actor, owner, kind)
    hold = Hold.objects.create(
        kind=kind, authority_id=owner.authority_id, case=case, document=document,
        reason=reason.strip(), reference=reference.strip(), placed_by=actors.user_of(actor),
        placed_at=timezone.now(),
    )
    audit.record(
        actor=actor, action="hold.placed", obj=document or case, chain=_chain(owner),
        case_id=owner.pk,
        after={"hold": hold.pk, "kind": kind, "reason": hold.reason, "reference": hold.reference},
    )
    return hold


@atomic_with_retry
def release_hold(actor: Actor, hold: Hold, note: str = "") -> Hold:
    hold = Hold.objects.select_for_update(of=("self",)).select_related(
        "case", "document__case"
    ).get(pk=hold.pk)
    owner = hold.case or hold.document.case
    _require_hold_role(actor, owner, hold.kind)
    if not hold.is_active:
        raise ValidationError({"hold": _("The hold is already released.")})
    hold.released_by, hold.released_at = actors.user_of(actor), timezone.now()
    hold.release_note = note.strip()
    hold.save(update_fields=["released_by", "released_at", "release_note"])
    audit.record(
        actor=actor, action="hold.released", obj=hold.document or hold.case,
        chain=_chain(owner), case_id=owner.pk,
        before={"hold": hold.pk, "kind": hold.kind, "reason": hold.reason},
        after={"release_note": hold.release_note},
    )
    return hold


def _require_hold_role(actor: Actor, case: Case, kind: str) -> None:
    actors.require(actor, "registry.hold", holds(case.authority_id, HOLD_ROLES[kind]),
                   _("Only the authority's archivists may place or release holds."))


@atomic_with_retry
def dispose_document(actor: Actor, document: Document, *, decision: str,
                     record_id=None) -> tuple[Document, bool]:
    """Mark a document disposed of (gallrad) under a disposal decision, in the caller's
    transaction: the registration stays (number, dates, description), the search entry
    goes, and a case whose documents are now all disposed of becomes disposed of too.
    Whoever calls, the document must be due today and not held, and the decision must be
    named. The caller (the e-archive's disposal run) removes its files' content. Returns
    the document and whether the case was disposed."""
    doc = Document.objects.select_for_update(of=("self",)).select_related("case").get(
        pk=document.pk)
    case = doc.case
    actors.require(actor, "registry.dispose", holds(case.authority_id, HOLD_ROLES[
        HoldKind.LEGAL]), _("Only the authority's archivists may dispose of records."))
    if doc.status == DocumentStatus.DISPOSED:
        return doc, case.status == CaseStatus.DISPOSED
    if not decision.strip():
        raise ValidationError({"decision": _("Name the disposal decision.")})
    if disposal_selectors.blocking_reason(doc.pk, timezone.localdate()) is not None:
        raise ValidationError({"document": _("The document is not due for disposal.")})
    before = doc.status
    doc.status, doc.disposed_at = DocumentStatus.DISPOSED, timezone.now()
    doc.disposed_under, doc.disposal_record = decision.strip()[:300], record_id
    doc.save(update_fields=["status", "disposed_at", "disposed_under", "disposal_record"])
    audit.record(
        actor=actor, action="document.disposed", obj=doc, chain=_chain(case),
        case_id=case.pk, before={"status": before},
        after={"status": doc.status, "decision": doc.disposed_under,
               "disposal_record": record_id},
    )
    indexing.remove_document(doc)
    signals.changed([case.pk])
    remaining = Document.objects.filter(case_id=case.pk).exclude(
        status=DocumentStatus.DISPOSED).exists()
    if remaining:
        return doc, False
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    previous, case.status = case.status, CaseStatus.DISPOSED
    case.save(update_fields=["status"])
    audit.record(actor=actor, action="case.disposed", obj=case, chain=_chain(case),
                 case_id=case.pk, before={"status": previous},
                 after={"status": case.status, "decision": doc.disposed_under})
    signals.changed([case.pk])
    return doc, True
