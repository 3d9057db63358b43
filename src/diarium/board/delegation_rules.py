"""Reading the delegation scheme: the version in force on a date, whether a decision is
within a delegation (the matter exists, may be delegated, the decision maker holds it, the
amount is within its limit), exporting a version, and collecting the decisions to report
onto a meeting's "anmälan av delegationsbeslut" item (a step of sending the kallelse,
whose service checked its actor)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.board import delegation_io
from diarium.board.models import (
    AgendaItem,
    DelegatedDecision,
    DelegationMatter,
    DelegationScheme,
    ItemKind,
)
from diarium.organisation.models import User
from diarium.organisation.selectors import access_for
from diarium.registry.models import Case, Document


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


def problems_of(decision: DelegatedDecision) -> tuple[list[str], list[str]]:
    """What the delegated decisions page flags, checked again today against the scheme
    in force on the decision's date: (errors, warnings). Errors: the decision maker did
    not hold the delegation (or the matter is no longer delegated in the scheme in force
    then, e.g. a scheme adopted later with an earlier date), or the amount is above the
    limit; warnings: what was let pass when it was registered (a position)."""
    errors: list[str] = []
    authority_id = decision.case.authority_id
    scheme = scheme_in_force(authority_id, decision.decided_on)
    matter = scheme.matters.filter(number=decision.matter.number).first() if scheme else None
    if matter is None:
        errors.append(_("Matter %(n)s is not in the scheme in force on %(day)s.")
                      % {"n": decision.matter.number, "day": decision.decided_on.isoformat()})
        matter = decision.matter
    if matter.not_delegable:
        errors.append(_("Matter %(n)s may not be delegated (KL 6:38).") % {"n": matter.number})
    holds, warnings = _holds(matter, decision.decided_by, authority_id)
    if not holds:
        errors.append(_("%(user)s did not hold the delegation for matter %(n)s on %(day)s.")
                      % {"user": decision.decided_by, "n": matter.number,
                         "day": decision.decided_on.isoformat()})
    if matter.limit is not None and decision.amount is not None and (
            decision.amount > matter.limit):
        errors.append(_("The amount is above the delegation's limit of %(limit)s kr.")
                      % {"limit": matter.limit})
    known = list(decision.warnings or [])
    return errors, known + [w for w in warnings if w not in known]


def collect_reported(item: AgendaItem) -> int:
    """Put every delegated decision awaiting report onto the meeting's "anmälan av
    delegationsbeslut" item (called when the kallelse goes out)."""
    if item.kind != ItemKind.DELEGATION:
        return 0
    authority_id = item.meeting.body.authority_id
    return DelegatedDecision.objects.filter(
        case__authority_id=authority_id, matter__must_report=True, reported_in__isnull=True,
        decided_on__lte=item.meeting.date).update(reported_in=item)
