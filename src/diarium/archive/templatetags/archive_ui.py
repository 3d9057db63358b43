"""Template helpers of the e-archive pages."""

from django import template

from diarium.archive import selectors

register = template.Library()


@register.filter
def is_archivist(user) -> bool:
    """Whether the user holds the archivist role anywhere (shows the e-archive link)."""
    return selectors.is_archivist(user)


@register.filter
def may_dispose(user) -> bool:
    """Whether the user handles disposal lists (archivists and administrators)."""
    from diarium.archive.disposal.access import may_dispose as handles_disposal

    return handles_disposal(user)


@register.filter
def megabytes(size: int | None) -> str:
    return f"{(size or 0) / 1e6:.1f}"


@register.filter
def may_search_archive(user) -> bool:
    """Whether the user may search the archive (any staff member)."""
    from diarium.archive.finding import may_search

    return may_search(user)


@register.filter
def lookup(mapping: dict, key):
    return mapping.get(key) if mapping else None
