"""Template helpers of the e-archive pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from diarium.archive import event_text, selectors

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


SEVERITIES = {"ERROR": _("Error"), "WARN": _("Warning"), "INFO": _("Information")}


@register.filter
def severity_label(severity: str) -> str:
    """A validation finding's severity (ERROR, WARN, INFO) in the reader's language."""
    found = SEVERITIES.get(severity)
    return str(found) if found is not None else severity


@register.filter
def event_words(event) -> str:
    """A preservation event's summary in the reader's language (archive/event_text.py)."""
    return event_text.shown(event)
