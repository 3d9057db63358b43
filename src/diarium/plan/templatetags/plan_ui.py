"""Template filters of the plan's pages."""

from django import template

from diarium.plan import lookup, selectors
from diarium.plan.models import RecordTypeRule

register = template.Library()


@register.filter
def reads_plan(user) -> bool:
    """Whether the user may open the plan, its lookup and the systems register (staff:
    a board member who is only a member does not), so that the menu links nothing that
    answers 403."""
    return selectors.can_read(user)


@register.filter
def disposition(rule: RecordTypeRule) -> str:
    """"Bevaras" or "Gallras 2 år efter ärendets avslut"."""
    return lookup.disposition_text(rule)


@register.filter
def answer(rule: RecordTypeRule) -> str:
    """What to do with a document of the record type, in sentences."""
    return lookup.answer(rule)
