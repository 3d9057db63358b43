"""The delegation scheme (imported as a new version with the decision that adopted it)
and delegated decisions, checked against the scheme in force on the decision's date.

Rules kept: a matter the board may not delegate (KL 6:38) is never decided by a delegate;
a decision maker who does not hold the delegation on that date, or an amount above the
matter's limit, is refused; what cannot be checked (a position) is kept as a warning.
A decision to be reported waits for the next meeting's "anmälan av delegationsbeslut";
an appealable decision not reported is posted on the notice board."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board import delegation_io, publication
from diarium.board.delegation_rules import DecisionData, check_decision
from diarium.board.models import (
    DelegatedDecision,
    DelegationMatter,
    DelegationScheme,
)
from diarium.board.services._common import record, require_officer, require_secretary
from diarium.core import visibility
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority
from diarium.registry.models import Case


@atomic_with_retry
def import_scheme(actor: Actor, authority: Authority, data: bytes, fmt: str, *,
                  adopted_by: str, adopted_on: dt.date, valid_from: dt.date
                  ) -> DelegationScheme:
    """A new version of the scheme from a file; PlanFileError (nothing imported) when
    the file has problems."""
    require_secretary(actor, authority.pk)
    if not adopted_by.strip():
        raise ValidationError({"adopted_by": _("Name the decision that adopted the scheme.")})
    matters = delegation_io.parse(data, fmt)
    version = (DelegationScheme.objects.filter(authority=authority).aggregate(
        v=Max("version"))["v"] or 0) + 1
    scheme = DelegationScheme.objects.create(
        authority=authority, version=version, adopted_by=adopted_by.strip(),
        adopted_on=adopted_on, valid_from=valid_from)
    DelegationMatter.objects.bulk_create([
        DelegationMatter(scheme=scheme, **vars(m)) for m in matters])
    record(actor, "board.delegation_scheme_adopted", scheme, authority.pk,
           after={"version": version, "adopted_by": scheme.adopted_by,
                  "valid_from": valid_from, "matters": len(matters)})
    return scheme


@atomic_with_retry
def register_decision(actor: Actor, case: Case, data: DecisionData) -> DelegatedDecision:
    require_officer(actor, case.authority_id)
    if not visibility.policy_for(actor).may_add_to(case):
        raise ValidationError({"case": _("Only the case's access group may change a "
                                         "secret case.")})
    if not data.summary.strip():
        raise ValidationError({"summary": _("Write what was decided.")})
    if data.document is not None and data.document.case_id != case.pk:
        raise ValidationError({"document": _("The decision document belongs to another "
                                             "case.")})
    matter, warnings = check_decision(case, data)
    decision = DelegatedDecision.objects.create(
        case=case, document=data.document, matter=matter, decided_by=data.decided_by,
        decided_on=data.decided_on, summary=data.summary.strip(),
        public_summary=(data.public_summary.strip() or case.public_title or
                        matter.title)[:500],
        amount=data.amount, appealable=data.appealable, warnings=warnings,
        registered_at=timezone.now())
    if not matter.must_report and data.appealable:
        publication.delegation_notice(decision, timezone.localdate())
    record(actor, "board.delegated_decision", decision, case.authority_id, case_id=case.pk,
           after={"matter": matter.number, "decided_by": data.decided_by.pk,
                  "decided_on": data.decided_on, "warnings": warnings,
                  "reported": matter.must_report})
    return decision
