"""What the e-archive's API views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from rest_framework import exceptions

from diarium.archive import selectors

T = TypeVar("T")


class ArchivistOnly:
    """Mixin for viewsets only archivists may use (others: 403)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.is_archivist(request.user):
            raise exceptions.PermissionDenied("Only archivists may use the e-archive.")


def lookup(read: Callable[..., T], *args: Any) -> T:
    """Call a selector; what the user may not see does not exist (404)."""
    try:
        return read(*args)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise exceptions.NotFound() from exc
