"""Helpers shared by the plan's views."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from diarium.core.pages import apply_errors, or_404
from diarium.plan import selectors

__all__ = ["apply_errors", "or_404", "staff_view"]


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and holding a role somewhere: everyone on the staff reads the plan."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
