"""A member's private notes per item: written and read by that member only."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from diarium.board.models import AgendaItem, MemberNote, Membership
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry


@atomic_with_retry
def save_note(actor: Actor, item: AgendaItem, text: str) -> MemberNote:
    """Private by construction: no audit event carries its text, no page but the
    writer's reads it. Only members of the item's body write one."""
    actors.check(actor)
    if not Membership.objects.filter(user=actor, body_id=item.meeting.body_id).exists():
        raise PermissionDenied(_("Only the body's members keep notes on its items."))
    note, _created = MemberNote.objects.update_or_create(
        item=item, user=actor, defaults={"text": text[:20000]})
    return note
