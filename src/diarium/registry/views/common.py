"""Helpers shared by the registry's views: the visibility policy's page of a request, and
form errors (generic page helpers live in core.pages)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from diarium.core import pages
from diarium.registry.models import Case
from diarium.registry.visibility import RegistryPage, policy_for

# Service error keys that name a registry form field differently.
ALIASES = {"case": "diary_number", "case_responsible_officer": "responsible_officer"}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    pages.apply_errors(form, exc, ALIASES)


def page(request: HttpRequest) -> RegistryPage:
    """The visibility policy's page for this request: it decides what the page may show
    and audits the secret content it shows (one event for the page view)."""
    match = request.resolver_match
    return policy_for(request.user).page(match.view_name if match else request.path)


def mark_readable(shown: RegistryPage, cases: list[Case]) -> None:
    """Set .readable on each case: whether the page may show its title (and note the
    secret ones it shows)."""
    readable = shown.readable_cases(cases)
    for case in cases:
        case.readable = case.pk in readable
