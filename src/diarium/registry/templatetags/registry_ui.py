"""Small presentation helpers for the registry's templates."""

from django import template
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Role
from diarium.organisation.selectors import access_for
from diarium.plan.models import RecordTypeRule
from diarium.plan.retention import Disposition
from diarium.plan.vocabulary import format_period
from diarium.registry import ageing, selectors
from diarium.registry.disposal_selectors import can_see_report
from diarium.registry.forms import STATUS_LABELS
from diarium.registry.identity import mask, mask_identity_numbers
from diarium.registry.models import DisposalOutcome, Document, SecrecyProvision
from diarium.registry.selectors import can_read_identity_numbers

register = template.Library()


@register.filter
def case_status(status: str) -> str:
    """The case status in words (öppet, vilande, avslutat, makulerat)."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


@register.filter
def masked_identity(identity: str) -> str:
    """An identity number with its last four digits hidden."""
    return mask(identity)


@register.simple_tag
def secrecy_provisions() -> list:
    """The register's secrecy provisions, for the type-ahead list of the marking field."""
    return list(SecrecyProvision.objects.filter(active=True))


@register.simple_tag
def may_register(user) -> bool:
    return user.is_authenticated and selectors.may_register(user)


@register.simple_tag
def reads_identity_numbers(user) -> bool:
    """Whether the user sees full identity numbers (else masked, 19811218-XXXX)."""
    return user.is_authenticated and can_read_identity_numbers(user)


@register.filter
def identities(text: str, full: bool) -> str:
    """Free text with the personnummer in it masked unless full (the viewer may read
    identity numbers)."""
    return text if full else mask_identity_numbers(text)



@register.filter
def disposal(document: Document) -> str:
    """What the plan says about the document's future, in words."""
    outcome = document.disposal_outcome
    if outcome == DisposalOutcome.KEEP:
        return str(_("Kept (bevaras)"))
    if outcome == DisposalOutcome.DATE:
        return str(_("May be disposed of (gallras) from %(date)s")) % {
            "date": document.disposal_date.isoformat()}
    if outcome == DisposalOutcome.UNDETERMINED:
        trigger = document.rule.get_trigger_display() if document.rule_id else ""
        return str(_("Disposed of (gallras) %(trigger)s: the date is not yet known")) % {
            "trigger": trigger}
    return str(_("No record type: never disposed of without one"))


@register.filter
def retention(rule: RecordTypeRule | None) -> str:
    """A rule's retention as the plan writes it: "bevaras" or "gallras 2 år, …"."""
    if rule is None:
        return "–"
    if rule.disposition == Disposition.KEEP:
        return "bevaras"
    period = format_period(rule.period_amount, rule.period_unit)
    parts = ["gallras", period, str(rule.get_trigger_display())]
    if rule.count_from_year_end:
        parts.append(str(_("counted from the end of the year")))
    return " ".join(p for p in parts[:2] if p) + ", " + ", ".join(parts[2:])


@register.simple_tag
def may_see_disposal_report(user) -> bool:
    return user.is_authenticated and can_see_report(user)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def older_than_six_months(case) -> bool:
    """Open for more than six months: a party may then demand a decision (FL 12 §)."""
    return ageing.over_six_months(case)


@register.simple_tag
def may_manage_templates(user) -> bool:
    """Administrators (of any authority) manage document templates."""
    return user.is_authenticated and (
        user.is_superuser or bool(access_for(user).authorities_with({Role.ADMINISTRATOR})))
