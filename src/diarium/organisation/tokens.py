"""API tokens: how a key is made, how it is recognised, and who may see and revoke it.

The rules: the database never holds a usable key (only its SHA-256 digest); a key is shown
once, when it is made; a revoked, expired or inactive user's token authenticates nobody;
a user manages their own tokens, an administrator also those of the users who hold a role
in an authority where they are administrator, a superuser everyone's. Writes (create,
revoke) are in services.py."""

import hashlib
import secrets

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from diarium.organisation.auth_models import ApiToken
from diarium.organisation.models import Role, User
from diarium.organisation.selectors import access_for, access_with_roles

KEY_PREFIX = "dia_"
PREFIX_LENGTH = 10  # "dia_" and six characters of the random part: enough to tell apart
# last_used_at is written at most this often per token, so that reads stay reads.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=10)


def new_key() -> str:
    """A fresh key: a recognisable prefix (secret scanners can find leaked keys) and 256
    random bits."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_expiry():
    days = settings.API_TOKEN_DAYS
    return timezone.now() + timezone.timedelta(days=days) if days > 0 else None


def managed_users(actor: User) -> QuerySet[User]:
    """The users whose tokens `actor` may list and revoke."""
    if actor.is_superuser:
        return User.objects.all()
    administered = access_for(actor).authorities_with([Role.ADMINISTRATOR])
    if not administered:
        return User.objects.filter(pk=actor.pk)
    return User.objects.filter(
        Q(roles__authority_id__in=administered) | Q(pk=actor.pk)).distinct()


def may_manage_others(actor: User) -> bool:
    return actor.is_superuser or bool(access_for(actor).authorities_with([Role.ADMINISTRATOR]))


def tokens_for(actor: User, *, everyone: bool = False) -> QuerySet[ApiToken]:
    """Tokens `actor` may see: their own, or with everyone=True all those they manage."""
    tokens = ApiToken.objects.select_related("user", "created_by", "revoked_by")
    if everyone:
        return tokens.filter(user__in=managed_users(actor))
    return tokens.filter(user=actor)


def token_with_roles(key: str) -> ApiToken | None:
    """The token of a key with its user, and the user's roles read in the same query (one
    row per role, a LEFT JOIN: one row with none for a user without roles). The roles are
    read anew on every request, as access_for would: a withdrawn role takes effect at once."""
    rows = list(ApiToken.objects.select_related("user").filter(digest=digest(key))
                .annotate(role_authority=F("user__roles__authority_id"),
                          role_name=F("user__roles__role"))
                .order_by())
    if not rows:
        return None
    token = rows[0]
    access_with_roles(token.user, [(row.role_authority, row.role_name) for row in rows
                                   if row.role_name is not None])
    return token


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, checked against the stored digests."""

    def authenticate_credentials(self, key: str):
        token = token_with_roles(key)
        now = timezone.now()
        if token is None or not token.is_active(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
