"""A document's disposal outcome and date, derived from the plan rule it was registered
under (plan.selectors.disposal_date) and the dates that rule counts from.

The trigger "after the case is closed" counts from the day the case was closed, or, for a
voided case, the day it was voided: a voided registration stays subject to the plan like
any other (see docs/plan.md). Reopening the case makes the outcome undetermined again.
The trigger "when no longer current" (inaktualitet) stays undetermined until the review
date is recorded on the document (disposal_services.mark_no_longer_current)."""

import datetime as dt

from django.utils import timezone

from diarium.plan import selectors as plan
from diarium.plan.retention import Outcome, RetentionRule, TriggerDates
from diarium.registry.models import Case, CaseStatus, DisposalOutcome, Document


def case_ended_on(case: Case) -> dt.date | None:
    """The Stockholm date the case ended (closed or voided), None while it is open."""
    if case.status == CaseStatus.CLOSED and case.closed_at:
        return timezone.localdate(case.closed_at)
    if case.status == CaseStatus.VOID and case.voided_at:
        return timezone.localdate(case.voided_at)
    return None


def outcome(rule: RetentionRule | None, case_ended: dt.date | None,
            document_date: dt.date | None,
            no_longer_current: dt.date | None = None) -> tuple[str, dt.date | None]:
    """(DisposalOutcome value, date or None) for a rule and the trigger dates."""
    if rule is None:
        return DisposalOutcome.UNCLASSIFIED, None
    result = plan.disposal_date(rule, TriggerDates(
        case_closed=case_ended, document_date=document_date, review_date=no_longer_current,
    ))
    if result is Outcome.KEEP:
        return DisposalOutcome.KEEP, None
    if result is Outcome.UNDETERMINED:
        return DisposalOutcome.UNDETERMINED, None
    return DisposalOutcome.DATE, result


def apply(document: Document, case: Case) -> None:
    """Set the document's outcome and date from its rule (without saving)."""
    document.disposal_outcome, document.disposal_date = outcome(
        document.rule, case_ended_on(case), document.document_date,
        document.no_longer_current_on,
    )


def recompute_case(case: Case) -> int:
    """Recompute the outcome of every document of the case that has a rule (after the
    case was closed, reopened or voided). Returns how many documents changed."""
    docs = list(
        Document.objects.filter(case_id=case.pk, rule__isnull=False).only(
            "id", "rule_id", "document_date", "no_longer_current_on", "disposal_outcome",
            "disposal_date",
        )
    )
    rules = plan.retentions({d.rule_id for d in docs})
    ended = case_ended_on(case)
    changed = []
    for doc in docs:
        new = outcome(rules[doc.rule_id], ended, doc.document_date, doc.no_longer_current_on)
        if new != (doc.disposal_outcome, doc.disposal_date):
            doc.disposal_outcome, doc.disposal_date = new
            changed.append(doc)
    Document.objects.bulk_update(changed, ["disposal_outcome", "disposal_date"], batch_size=500)
    return len(changed)
