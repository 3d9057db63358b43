"""Writes to the organisation: one function per use case, transactional, audited."""

from rest_framework.authtoken.models import Token

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import User


@atomic_with_retry
def api_token(actor: Actor, user: User) -> str:
    """The user's API token, created (and the creation audited) when they have none. A
    user asks for their own; the operator (system:operator) for anyone's."""
    actors.require(actor, "organisation.token",
                   lambda me: me.pk == user.pk or me.is_superuser)
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit.record(
            actor=actor, action="api.token_created", obj=user,
            after={"user": user.get_username()},
        )
    return token.key
