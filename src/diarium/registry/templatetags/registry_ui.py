"""Small presentation helpers for the registry's templates."""

from django import template

from diarium.registry.forms import STATUS_LABELS
from diarium.registry.identity import mask

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

