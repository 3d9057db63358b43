"""What the archive sub-commands share."""

from __future__ import annotations

from django.core.management.base import CommandError

from diarium.organisation.models import User


def actor(username: str | None) -> User | None:
    """--user USERNAME acts as that user (its permissions apply); default: the system."""
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise CommandError(f"no user {username!r}") from exc
