"""In-app notices to users about cases (a case assigned to them): marking them read."""

from django.utils import timezone

from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.registry.models import CaseNotification


@atomic_with_retry
def mark_notifications_read(actor: Actor) -> int:
    """Mark the actor's own unread notices read; how many there were."""
    if actor is None:
        raise actors.MissingActor()
    user = actors.user_of(actor)
    if user is None:
        return 0  # a principal has no notices
    return CaseNotification.objects.filter(user=user, read_at=None).update(
        read_at=timezone.now())
