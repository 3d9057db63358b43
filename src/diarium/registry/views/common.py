"""Helpers shared by the registry's views."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from diarium.organisation.models import User
from diarium.registry import selectors
from diarium.registry.models import Case, Document

PAGE_SIZE = 25
T = TypeVar("T")


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def or_404(read: Callable[..., T], *args, **kwargs) -> T:
    """Call a selector; a record the user may not see does not exist (404)."""
    try:
        return read(*args, **kwargs)
    except (ObjectDoesNotExist, ValidationError) as exc:
        raise Http404 from exc


# Service error keys that name a form field differently.
ALIASES = {"case": "diary_number", "case_responsible_officer": "responsible_officer"}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (or on the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, messages in exc.message_dict.items():
        field = ALIASES.get(key, key)
        form.add_error(field if field in form.fields else None, messages)


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def too_large(request: HttpRequest) -> HttpResponse:
    limit_mb = settings.MAX_UPLOAD_BYTES / (1024 * 1024)
    message = _("The upload is larger than the limit of %(limit).0f MB.") % {"limit": limit_mb}
    return render(request, "web/error.html", {"status": 413, "message": message}, status=413)


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
