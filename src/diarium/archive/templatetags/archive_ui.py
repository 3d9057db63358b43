"""Template helpers of the e-archive pages."""

from django import template

from diarium.archive import selectors

register = template.Library()


@register.filter
def is_archivist(user) -> bool:
    """Whether the user holds the archivist role anywhere (shows the e-archive link)."""
    return selectors.is_archivist(user)


@register.filter
def megabytes(size: int | None) -> str:
    return f"{(size or 0) / 1e6:.1f}"
