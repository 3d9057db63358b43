"""Lockout after failed logins, per username and per client address.

The rule: after LOGIN_FAILURES_PER_USER failed logins for one username within
LOGIN_LOCKOUT_MINUTES, or LOGIN_FAILURES_PER_ADDRESS from one client address, every login
for that username or from that address is refused (even with the right password) until
the window has passed or an administrator unlocks it (services.unlock_login). The check
sits in the authentication backend, so the staff login page, the Django admin's login and
any later form all obey it; failures are counted from Django's user_login_failed signal.
The username need not exist: a lockout says nothing about which accounts do."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from diarium.organisation.auth_models import LoginFailure


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: from the connection, or with DIARIUM_PROXY_COUNT proxies in
    front, the address the outermost trusted proxy saw (X-Forwarded-For, counted from the
    right, so a client cannot choose it by sending the header itself)."""
    if request is None:
        return None
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def _window_start() -> datetime:
    return timezone.now() - timezone.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _norm(username: str) -> str:
    return (username or "").strip().lower()[:150]


def is_locked(username: str, address: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username=_norm(username)).count() >= settings.LOGIN_FAILURES_PER_USER:
        return True
    return bool(address) and (
        recent.filter(address=address).count() >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def record_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=_norm(username), address=address)


def clear(*, username: str = "", address: str = "") -> int:
    failures = LoginFailure.objects.none()
    if username:
        failures |= LoginFailure.objects.filter(username=_norm(username))
    if address:
        failures |= LoginFailure.objects.filter(address=address)
    deleted, _ = failures.delete()
    return deleted


@dataclass(frozen=True)
class Lock:
    """A current lockout, for the administrators' list: what is locked and until when."""

    kind: str  # "username" or "address"
    value: str
    failures: int
    until: datetime


def current_locks() -> list[Lock]:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    window = timezone.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    locks = []
    for kind, limit in (("username", settings.LOGIN_FAILURES_PER_USER),
                        ("address", settings.LOGIN_FAILURES_PER_ADDRESS)):
        rows = (recent.exclude(**{f"{kind}__isnull": True}).values(kind)
                .annotate(n=Count("id"), last=Max("at")).filter(n__gte=limit).order_by(kind))
        locks += [Lock(kind, row[kind], row["n"], row["last"] + window) for row in rows]
    return locks


class LockoutModelBackend(ModelBackend):
    """Django's model backend, refusing locked usernames and addresses before it checks
    the password (PermissionDenied stops every backend, and counts as a failure)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get("username", "")
        if is_locked(username or "", client_address(request)):
            raise PermissionDenied("locked out")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    record_failure(credentials.get("username", ""), client_address(request))


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs) -> None:
    """A successful login clears the username's count, not the address's: an attacker
    with one valid account must not reset the count for all the others."""
    LoginFailure.objects.filter(username=_norm(user.get_username())).delete()
