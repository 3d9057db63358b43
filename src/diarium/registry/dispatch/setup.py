"""What administrators set up for dispatch, per authority: the outgoing mail server (the
password sealed, core/sealed.py, write-only like a mailbox's) and the cover letter, and the
distribution lists, each save of which is a new frozen version."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core.actors import Actor, user_of
from diarium.core.sealed import seal
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority
from diarium.organisation.selectors import ADMINISTRATOR_ROLES
from diarium.registry.dispatch import recipients
from diarium.registry.dispatch.models import (
    DispatchSettings,
    DistributionList,
    DistributionListMember,
    DistributionListVersion,
    SmtpSecurity,
)
from diarium.registry.services._common import _require


@dataclass
class SettingsData:
    host: str = ""
    port: int = 587
    security: str = SmtpSecurity.STARTTLS
    username: str = ""
    from_address: str = ""
    from_name: str = ""
    cover_letter: str = ""


def _validate(data: SettingsData) -> None:
    errors = {}
    if not 0 < int(data.port) < 65536:
        errors["port"] = _("A port is a number from 1 to 65535.")
    if data.security not in SmtpSecurity.values:
        errors["security"] = _("Choose STARTTLS, TLS or none.")
    for name in ("host", "username", "from_address", "from_name"):
        if recipients.has_control(getattr(data, name)):
            errors[name] = _("Line breaks are not allowed here.")
    if data.host.strip() and not data.from_address.strip():
        errors["from_address"] = _("Give the address the mail is sent from.")
    if errors:
        raise ValidationError(errors)


@atomic_with_retry
def save_settings(actor: Actor, authority: Authority, data: SettingsData,
                  password: str | None = None) -> DispatchSettings:
    """Set the authority's outgoing mail server and cover letter; an empty password keeps
    the stored one."""
    _require(actor, authority.pk, ADMINISTRATOR_ROLES, "organisation.manage")
    _validate(data)
    found, _created = DispatchSettings.objects.select_for_update().get_or_create(
        authority=authority)
    before = _snapshot(found)
    for key, value in asdict(data).items():
        setattr(found, key, value.strip() if isinstance(value, str) and key != "cover_letter"
                else value)
    if password:
        found.password_sealed = seal(password)
    found.save()
    audit.record(actor=actor, action="dispatch_settings.changed", obj=found,
                 chain=f"authority:{authority.pk}", before=before,
                 after=_snapshot(found) | ({"password": "changed"} if password else {}))
    return found


def _snapshot(found: DispatchSettings) -> dict:
    return {"host": found.host, "port": found.port, "security": found.security,
            "username": found.username, "from_address": found.from_address,
            "from_name": found.from_name, "cover_letter": found.cover_letter}


@atomic_with_retry
def save_list(actor: Actor, authority: Authority, name: str,
              members: list[recipients.RecipientInput],
              existing: DistributionList | None = None, active: bool = True
              ) -> DistributionList:
    """Create a distribution list, or give one a new version (its members as given). The
    earlier versions stay as they were: dispatches that used them still show them."""
    _require(actor, authority.pk, ADMINISTRATOR_ROLES, "organisation.manage")
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise ValidationError({"name": _("Give the list a name.")})
    rows = recipients.clean_all(members)
    if not rows:
        raise ValidationError({"recipients": _("A list needs at least one recipient.")})
    if existing is None:
        found = _new_list(authority, name)
        before: dict = {}
    else:
        found = DistributionList.objects.select_for_update().get(pk=existing.pk,
                                                                 authority=authority)
        before = {"name": found.name, "version": found.current.number if found.current else 0}
    number = found.versions.count() + 1
    version = DistributionListVersion.objects.create(list=found, number=number, name=name,
                                                     created_by=user_of(actor))
    DistributionListMember.objects.bulk_create(
        DistributionListMember(version=version, position=n, **row)
        for n, row in enumerate(rows, 1))
    found.name, found.current, found.active = name, version, active
    _save_list(found)
    audit.record(actor=actor, action="distribution_list.saved", obj=found,
                 chain=f"authority:{authority.pk}", before=before,
                 after={"name": name, "version": number, "active": active,
                        "members": [[r["kind"], r["name"], r["email"]] for r in rows]})
    return found


def _new_list(authority: Authority, name: str) -> DistributionList:
    found = DistributionList(authority=authority, name=name)
    _save_list(found)
    return found


def _save_list(found: DistributionList) -> None:
    try:
        with transaction.atomic():
            found.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _(
            "The authority already has a list with this name.")}) from exc
