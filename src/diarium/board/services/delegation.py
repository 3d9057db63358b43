"""The delegation scheme (imported as a new version with the decision that adopted it)
and delegated decisions, checked against the scheme in force on the decision's date.

Rules kept: a matter the board may not delegate (KL 6:38) is never decided by a delegate;
a decision maker who does not hold the delegation on that date, or an amount above the
matter's limit, is refused; what cannot be checked (a position) is kept as a warning.
A decision to be reported waits for the next meeting's "anmälan av delegationsbeslut";
an appealable decision not reported is posted on the notice board."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board import delegation_io, publication
from diarium.board.models import (
    AgendaItem,
    DelegatedDecision,
    DelegationMatter,
    DelegationScheme,
    ItemKind,
)
from diarium.board.services._common import record, require_officer, require_secretary
from diarium.core import visibility
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority, User
from diarium.organisation.selectors import access_for
from diarium.registry.models import Case, Document


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


def export_scheme(scheme: DelegationScheme, fmt: str) -> bytes:
    matters = list(scheme.matters.all())
    return delegation_io.to_xlsx(matters) if fmt == "xlsx" else delegation_io.to_csv(matters)


def scheme_in_force(authority_id, day: dt.date) -> DelegationScheme | None:
    return DelegationScheme.objects.filter(authority_id=authority_id, valid_from__lte=day
                                           ).order_by("-valid_from", "-version").first()


@dataclass
class DecisionData:
    matter_number: str
    decided_by: User
    decided_on: dt.date
    summary: str
    public_summary: str = ""
    amount: Decimal | None = None
    appealable: bool = True
    document: Document | None = None


def _holds(matter: DelegationMatter, user: User, authority_id) -> tuple[bool, list[str]]:
    """Whether the user holds the delegation, and what could not be checked."""
    names = {matter.delegate.strip().lower()} if matter.delegate_kind == "person" else set()
    names |= {s.strip().lower() for s in matter.substitutes.replace(";", ",").split(",")
              if s.strip()}
    if user.username.lower() in names:
        return True, []
    if matter.delegate_kind == "role":
        return access_for(user).has(authority_id, {matter.delegate.strip()}), []
    if matter.delegate_kind == "position":
        return True, [_("The delegate is the position “%(position)s”: check that "
                        "%(user)s holds it.") % {"position": matter.delegate, "user": user}]
    return False, []


def check_decision(case: Case, data: DecisionData) -> tuple[DelegationMatter, list[str]]:
    """The matter and the warnings, or ValidationError when the decision is outside the
    delegation (no scheme, unknown matter, not delegable, not the delegate, over limit)."""
    scheme = scheme_in_force(case.authority_id, data.decided_on)
    if scheme is None:
        raise ValidationError({"matter": _("No delegation scheme is in force on %(day)s.")
                               % {"day": data.decided_on.isoformat()}})
    matter = scheme.matters.filter(number=data.matter_number.strip()).first()
    if matter is None:
        raise ValidationError({"matter": _("The scheme (version %(v)s) has no matter "
                                           "%(n)s.") % {"v": scheme.version,
                                                        "n": data.matter_number}})
    if matter.not_delegable:
        raise ValidationError({"matter": _("Matter %(n)s may not be delegated (KL 6:38): "
                                           "the board decides it.") % {"n": matter.number}})
    holds, warnings = _holds(matter, data.decided_by, case.authority_id)
    if not holds:
        raise ValidationError({"decided_by": _(
            "%(user)s does not hold the delegation for matter %(n)s on %(day)s.")
            % {"user": data.decided_by, "n": matter.number,
               "day": data.decided_on.isoformat()}})
    if matter.limit is not None and data.amount is not None and data.amount > matter.limit:
        raise ValidationError({"amount": _("The amount is above the delegation's limit "
                                           "of %(limit)s kr.") % {"limit": matter.limit}})
    return matter, warnings


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


def collect_reported(item: AgendaItem) -> int:
    """Put every delegated decision awaiting report onto the meeting's "anmälan av
    delegationsbeslut" item (called when the kallelse goes out)."""
    if item.kind != ItemKind.DELEGATION:
        return 0
    authority_id = item.meeting.body.authority_id
    return DelegatedDecision.objects.filter(
        case__authority_id=authority_id, matter__must_report=True, reported_in__isnull=True,
        decided_on__lte=item.meeting.date).update(reported_in=item)
