"""Helpers shared by the plan's views."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from diarium.plan import selectors

T = TypeVar("T")


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and holding a role somewhere: everyone on the staff reads the plan."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def or_404(read: Callable[..., T], *args, **kwargs) -> T:
    """Call a selector; what does not exist (or is malformed) is a 404."""
    try:
        return read(*args, **kwargs)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (or on the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, messages in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)
