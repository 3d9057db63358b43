"""Template helpers of the staff UI shell."""

from django import template
from django.utils.html import format_html

from diarium.core.shortcuts import KEYS
from diarium.organisation.selectors import may_administer as _may_administer

register = template.Library()


@register.filter
def may_administer(user) -> bool:
    """Whether the navigation shows the user administration."""
    return user.is_authenticated and _may_administer(user)


@register.simple_tag
def shortcut(target: str) -> str:
    """` data-shortcut="g h"` on the link or field a key activates (web/shortcuts.py)."""
    return format_html(' data-shortcut="{}"', KEYS[target])
