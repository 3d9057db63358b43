"""Factory functions for tests: the smallest valid objects, overridable by keyword."""

import datetime as dt
import itertools
import uuid

from django.utils import timezone

from diarium.organisation.models import Authority, Municipality, RoleAssignment, User
from diarium.registry import services
from diarium.registry.models import DiarySeries

_seq = itertools.count(1)


def municipality(name: str | None = None, code: str | None = None) -> Municipality:
    n = next(_seq)
    return Municipality.objects.create(name=name or f"Kommun {n}", code=code or f"{n:04d}")


def authority(
    code: str | None = None, muni: Municipality | None = None, name: str = ""
) -> Authority:
    code = code or f"A{next(_seq)}"
    muni = muni or Municipality.objects.first() or municipality()
    return Authority.objects.create(municipality=muni, code=code, name=name or f"Nämnd {code}")


def series(auth: Authority | None = None, code: str | None = None) -> DiarySeries:
    auth = auth or authority()
    return DiarySeries.objects.create(
        authority=auth, code=code or auth.code, name=f"Diarium {auth.code}"
    )


def user(username: str | None = None, roles: dict | None = None, **extra) -> User:
    """roles: {authority: "registrar"} or {authority: ["officer", "reader"]}."""
    u = User.objects.create_user(
        username=username or f"user{uuid.uuid4().hex[:8]}", password="x", **extra
    )
    for auth, role_names in (roles or {}).items():
        for role in [role_names] if isinstance(role_names, str) else role_names:
            RoleAssignment.objects.create(user=u, authority=auth, role=role)
    return u


def case(actor: User, ser: DiarySeries, title: str = "Ett ärende", **kwargs):
    secrecy = kwargs.pop("secrecy", services.Secrecy())
    return services.open_case(actor, ser, services.CaseData(title=title, secrecy=secrecy, **kwargs))


def document(actor: User, case, title: str = "En handling", uploads=(), **kwargs):
    kwargs.setdefault("direction", "incoming")
    kwargs.setdefault("document_date", timezone.localdate() - dt.timedelta(days=1))
    return services.register_document(
        actor, case, services.DocumentData(title=title, **kwargs), uploads
    )
