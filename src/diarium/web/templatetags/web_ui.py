"""Template helpers of the staff UI shell."""

from django import template

from diarium.organisation.selectors import may_administer as _may_administer

register = template.Library()


@register.filter
def may_administer(user) -> bool:
    """Whether the navigation shows the user administration."""
    return user.is_authenticated and _may_administer(user)
