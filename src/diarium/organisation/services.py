"""Writes to the organisation: one function per use case, transactional, audited."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core.transactions import atomic_with_retry
from diarium.organisation import lockout, tokens
from diarium.organisation.auth_models import ApiToken
from diarium.organisation.models import User

MAX_TOKEN_DAYS = 3650


@dataclass(frozen=True)
class NewToken:
    """A token just made: `key` is the only copy of the key there will ever be."""

    token: ApiToken
    key: str


def _expiry(days: int | None) -> datetime | None:
    if days is None:
        return tokens.default_expiry()
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("Give a number of days from 1 to %(max)d.")
                               % {"max": MAX_TOKEN_DAYS}})
    return timezone.now() + timezone.timedelta(days=days)


@atomic_with_retry
def create_api_token(actor: User | None, user: User, name: str = "",
                     days: int | None = None) -> NewToken:
    """A new API token for `user`, made by the user, an administrator who manages them, or
    (actor None) the command line. The key is returned once and stored only as a digest."""
    if actor is not None and not tokens.managed_users(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("You may not make tokens for this user."))
    key = tokens.new_key()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[: tokens.PREFIX_LENGTH],
        digest=tokens.digest(key), created_by=actor, expires_at=_expiry(days),
    )
    audit.record(actor=actor, action="api.token_created", obj=user, after={
        "user": user.get_username(), "token": str(token.pk), "prefix": token.prefix,
        "name": token.name, "expires_at": token.expires_at,
    })
    return NewToken(token=token, key=key)


@atomic_with_retry
def revoke_api_token(actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token at once. Revoked tokens stay listed, with who revoked them and when."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if actor is not None and not tokens.managed_users(actor).filter(pk=token.user_id).exists():
        raise PermissionDenied(_("You may not revoke this token."))
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor=actor, action="api.token_revoked", obj=token.user, after={
            "user": token.user.get_username(), "token": str(token.pk), "prefix": token.prefix,
        })
    return token


@atomic_with_retry
def unlock_login(actor: User | None, *, username: str = "", address: str = "") -> int:
    """Lift a lockout (lockout.py) of a username or a client address: an administrator's
    decision, audited. Returns how many failed attempts were cleared."""
    if actor is not None and not tokens.may_manage_others(actor):
        raise PermissionDenied(_("Only administrators may unlock logins."))
    cleared = lockout.clear(username=username, address=address)
    audit.record(actor=actor, action="login.unlocked", object_type="login",
                 object_id=username or address,
                 after={"username": username, "address": address, "cleared": cleared})
    return cleared
