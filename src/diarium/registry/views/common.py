"""Helpers shared by the registry's views (generic page helpers live in core.pages)."""

from django import forms
from django.core.exceptions import ValidationError

from diarium.core import pages
from diarium.organisation.models import User
from diarium.registry import selectors
from diarium.registry.models import Case, Document

# Service error keys that name a registry form field differently.
ALIASES = {"case": "diary_number", "case_responsible_officer": "responsible_officer"}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    pages.apply_errors(form, exc, ALIASES)


def document_readable(user: User, document: Document) -> bool:
    """Whether the user may read a document's content: its own marking and its case's
    marking both count, so a secret case hides all of its documents."""
    return selectors.can_read_document_content(user, document) and (
        selectors.can_read_case_content(user, document.case)
    )


def mark_readable(user: User, cases: list[Case]) -> None:
    """Set .readable on each case: whether its title may be shown to the user."""
    readable = set(
        selectors.content_readable_cases(user)
        .filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    for case in cases:
        case.readable = case.pk in readable
