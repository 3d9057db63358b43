"""Template filters of the plan's pages."""

from django import template

from diarium.plan import lookup
from diarium.plan.models import RecordTypeRule

register = template.Library()


@register.filter
def disposition(rule: RecordTypeRule) -> str:
    """"Bevaras" or "Gallras 2 år efter ärendets avslut"."""
    return lookup.disposition_text(rule)


@register.filter
def answer(rule: RecordTypeRule) -> str:
    """What to do with a document of the record type, in sentences."""
    return lookup.answer(rule)
