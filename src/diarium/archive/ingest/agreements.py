"""Which submission agreement a delivery comes under, and what the agreement allows."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.archive import selectors
from diarium.archive.aip.inventory import PlannedEvent, SipHead
from diarium.archive.event_text import Summary, planned
from diarium.archive.models import EventType, Outcome, SubmissionAgreement
from diarium.archive.validation import Finding, Report, Severity
from diarium.archive.validation.package import Package as SourcePackage
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.plan.models import RecordTypeRule

from .record_types import record_type_findings

REQUIREMENT = "AGREEMENT"
MAX_LISTED = 10


def resolve_agreement(actor: Actor, given, head: SipHead) -> SubmissionAgreement:
    actors.check(actor)
    if isinstance(given, SubmissionAgreement):
        found = given
    else:
        key = str(given).strip() if given else head.agreement
        found = _lookup(key) if key else None
    if found is None:
        raise ValidationError({"agreement": _(
            "Name the submission agreement: the package names none that is known.")})
    if not found.in_force():
        raise ValidationError({"agreement": _(
            "Submission agreement %(reference)s is not in force.") % {
                "reference": found.reference}})
    actors.require(actor, "archive.ingest", lambda user: selectors.may_ingest(user, found.creator),
                   _("Only an archivist of the archive creator may ingest."))
    return found


def _lookup(key: str) -> SubmissionAgreement | None:
    agreements = SubmissionAgreement.objects.select_related("creator", "creator__authority")
    try:
        return agreements.get(pk=uuid.UUID(key))
    except (ValueError, SubmissionAgreement.DoesNotExist):
        return agreements.filter(reference=key).first()


def check_agreement(report: Report, agreement: SubmissionAgreement, head: SipHead,
                    opened: SourcePackage | None = None) -> None:
    """Add findings for what the agreement does not allow (errors) or does not match."""
    if report.unreadable:
        return
    _check_record_types(report, agreement)
    if head.agreement and head.agreement != agreement.reference:
        report.findings.append(Finding(
            REQUIREMENT, Severity.WARN,
            f"Paketet anger leveransöverenskommelsen {head.agreement}, men det tas emot "
            f"enligt {agreement.reference}",
            f"The package names submission agreement {head.agreement} but is received under "
            f"{agreement.reference}", "METS.xml"))
    refused = [f for f in report.files if _is_content(f.path)
               and not agreement.allows(f.puid, f.declared_mimetype)]
    if refused:
        shown = ", ".join(f"{f.path} ({f.puid or f.declared_mimetype or '?'})"
                          for f in refused[:MAX_LISTED])
        report.findings.append(Finding(
            REQUIREMENT, Severity.ERROR,
            f"{len(refused)} fil(er) har format som leveransöverenskommelsen "
            f"{agreement.reference} inte tillåter: {shown}",
            f"{len(refused)} file(s) have formats submission agreement {agreement.reference} "
            f"does not allow: {shown}", "METS.xml"))


def _check_record_types(report: Report, agreement: SubmissionAgreement) -> None:
    """An agreement that lists record types admits records of those types only, as the
    package's CITS ERMS documents name them (found and read by the validator; see
    record_types for the fail-closed rule); one that lists none admits any."""
    allowed = set(RecordTypeRule.objects.filter(
        record_type__in=agreement.record_types.all()).values_list("name", flat=True))
    report.findings.extend(record_type_findings(report, agreement.reference, allowed))


def _is_content(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 3 and parts[0] == "representations" and parts[2] == "data"


def validation_event(report: Report) -> PlannedEvent:
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARN)
    rules = report.rules or "E-ARK"
    if report.valid:
        return planned(EventType.VALIDATION, Outcome.SUCCESS, Summary("validation.valid", {
            "rules": rules, "fgs": report.version == "2.1", "strict": bool(report.strict),
            "warnings": warnings, "files": len(report.files)}))
    required = ", ".join(sorted({f.requirement for f in report.errors})[:20])
    return planned(EventType.VALIDATION, Outcome.FAILURE, Summary("validation.invalid", {
        "errors": errors, "requirements": required, "warnings": warnings}))
