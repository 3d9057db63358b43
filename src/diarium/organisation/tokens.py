"""API tokens: how a key is made, how it is recognised, and who may see and revoke it.

The rules: the database never holds a usable key (only its SHA-256 digest); a key is shown
once, when it is made; a revoked, expired or inactive user's token authenticates nobody;
a user manages their own tokens, an administrator also those of the users who hold a role
in an authority where they are administrator, a superuser everyone's. Writes (create,
revoke) are in services.py."""

import functools
import hashlib
import secrets

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from diarium.core import rows
from diarium.organisation.auth_models import ApiToken
from diarium.organisation.models import Role, RoleAssignment, User
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
    read anew on every request, as access_for would: a withdrawn role takes effect at once.

    Plain SQL built once (core/rows): every API request asks this, and the ORM's building
    of the join cost more than the read (docs/performance.md, the API baseline)."""
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(connection.vendor), [digest(key)])
        found = cursor.fetchall()
    if not found:
        return None
    token_width, user_width = (len(m._meta.concrete_fields) for m in (ApiToken, User))
    first = found[0]
    token = rows.made(ApiToken, first[:token_width])
    user = rows.made(User, first[token_width:token_width + user_width])
    ApiToken._meta.get_field("user").set_cached_value(token, user)
    roles = [(rows.converted(RoleAssignment, "authority_id", row[-2]), row[-1])
             for row in found if row[-1] is not None]
    access_with_roles(user, roles)
    return token


@functools.cache
def _token_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    token, user, role = ApiToken._meta, User._meta, RoleAssignment._meta
    columns = [*rows.select_columns(ApiToken, "t"), *rows.select_columns(User, "u"),
               f"r.{quote(role.get_field('authority').column)}",
               f"r.{quote(role.get_field('role').column)}"]
    # Our own table and column names; the digest is bound as a parameter.
    return (f"SELECT {', '.join(columns)} FROM {quote(token.db_table)} t "  # noqa: S608
            f"JOIN {quote(user.db_table)} u ON u.{quote(user.pk.column)} = "
            f"t.{quote(token.get_field('user').column)} "
            f"LEFT JOIN {quote(role.db_table)} r ON r.{quote(role.get_field('user').column)} "
            f"= u.{quote(user.pk.column)} WHERE t.{quote(token.get_field('digest').column)} = %s")


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
