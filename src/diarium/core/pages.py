"""Helpers shared by every app's server-rendered pages: pagination, 404 for what a user may
not see, service errors on forms, and the upload-limit page."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.core.pagination import CappedPaginator, wanted_page

PAGE_SIZE = 25
T = TypeVar("T")


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def paginate_capped(request: HttpRequest, items, per_page: int | None = None,
                    counted=None) -> Page:
    """paginate() for lists that may be very long: counted exactly up to COUNT_CAP rows,
    past that `page.paginator.capped` (the page says "more than 1 000"). counted: what
    to count instead of items, when something cheaper has as many rows."""
    raw = request.GET.get("page")
    return CappedPaginator(items, per_page or PAGE_SIZE, wanted=wanted_page(raw),
                           counted=counted).get_page(raw)


def or_404(read: Callable[..., T], *args, **kwargs) -> T:
    """Call a selector; a record the user may not see, or a malformed id, does not exist
    (404)."""
    try:
        return read(*args, **kwargs)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def apply_errors(
    form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form's fields (or on the form). `aliases`
    maps a service's error key to the form field that shows it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, messages in exc.message_dict.items():
        field = (aliases or {}).get(key, key)
        form.add_error(field if field in form.fields else None, messages)


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def too_large(request: HttpRequest) -> HttpResponse:
    limit_mb = settings.MAX_UPLOAD_BYTES / (1024 * 1024)
    message = _("The upload is larger than the limit of %(limit).0f MB.") % {"limit": limit_mb}
    return render(request, "web/error.html", {"status": 413, "message": message}, status=413)


def filterable(label: str) -> dict:
    """Widget attrs of a long select that web/static/web/filterable.js gives a type-ahead
    filter field, labelled `label` (without scripts the plain select remains)."""
    return {"data-filterable": "", "data-filter-label": label,
            "data-filter-count": gettext_lazy("{shown} of {total} shown")}
