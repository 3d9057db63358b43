"""Writes to the organisation: municipalities, authorities, administrations, units, users,
role assignments and API tokens. One function per use case, transactional, audited, each
taking an actor (diarium.core.actors) and checking it before it writes.

Who may: a superuser, or a principal declaring `organisation.manage` (the demo, the
operator's import), everywhere; an administrator of an authority changes that authority
and its roles, and an administrator of any authority of a municipality adds its
authorities, administrations, units and users. Passwords never reach the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation import lockout, tokens
from diarium.organisation.auth_models import ApiToken
from diarium.organisation.models import (
    Administration,
    Authority,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from diarium.organisation.selectors import access_for

MANAGE = "organisation.manage"
# Single sign-on and the directory sync (identity.py, directory.py): users, their details
# and their roles, nothing else of the organisation, and never the Django admin's flags.
DIRECTORY = "organisation.directory"
ADMIN_ROLES = frozenset({Role.ADMINISTRATOR})
USER_FIELDS = ("first_name", "last_name", "email", "unit", "home_municipality", "is_active",
               "external_id", "identity_source")
# The Django admin's flags: only a superuser or a principal gives them.
ADMIN_FIELDS = ("is_staff", "is_superuser")
# What an authority's code may be (it is listed in files and shown beside diary numbers).
AUTHORITY_CODE = re.compile(r"[0-9A-ZÅÄÖ][0-9A-ZÅÄÖ-]{0,15}")


def _administers(municipality_id):
    """The users' check: an administrator in one of the municipality's authorities."""
    def check(user: User) -> bool:
        mine = access_for(user).authorities_with(ADMIN_ROLES)
        return Authority.objects.filter(municipality_id=municipality_id, id__in=mine).exists()
    return check


def _require(actor: Actor, user_may, *, directory: bool = False) -> None:
    """directory: the change is one the identity provider or directory may make too (a
    principal declaring organisation.directory passes)."""
    if directory and actors.is_principal(actor) and actors.may(actor, DIRECTORY, bool):
        return
    actors.require(actor, MANAGE, lambda user: user.is_superuser or user_may(user),
                   _("Only administrators may change the organisation."))


def _authority_chain(authority: Authority) -> str:
    return f"authority:{authority.pk}"


def _checked(obj, exclude: Iterable[str] = ()):
    """Validate a new or changed row (unique fields, lengths, choices) before it is saved."""
    obj.full_clean(exclude=list(exclude))
    return obj


def _save(obj, fields: Iterable[str] | None = None):
    """Validate, then save (all fields, or the named ones of a changed row)."""
    _checked(obj, exclude=["password"] if isinstance(obj, User) else [])
    obj.save(update_fields=list(fields) if fields else None)
    return obj


@atomic_with_retry
def create_municipality(actor: Actor, *, name: str, code: str,
                        organisation_number: str = "") -> Municipality:
    _require(actor, lambda user: False)
    muni = _save(Municipality(name=name.strip(), code=code.strip(),
                              organisation_number=organisation_number.strip()))
    audit.record(actor=actor, action="organisation.municipality_created", obj=muni,
                 after={"name": muni.name, "code": muni.code,
                        "organisation_number": muni.organisation_number})
    return muni


@atomic_with_retry
def update_municipality(actor: Actor, municipality: Municipality, *, name: str,
                        organisation_number: str = "") -> Municipality:
    """Rename a municipality or give its organisation number. Its code (the municipality
    code, kommunkod) is never changed."""
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    _require(actor, lambda user: False)
    before = {"name": municipality.name, "organisation_number": municipality.organisation_number}
    municipality.name = name.strip()
    municipality.organisation_number = organisation_number.strip()
    _save(municipality, ["name", "organisation_number"])
    changed_before, changed_after = audit.diff(before, {
        "name": municipality.name, "organisation_number": municipality.organisation_number})
    audit.record(actor=actor, action="organisation.municipality_changed", obj=municipality,
                 before=changed_before, after=changed_after)
    return municipality


class AlreadySetUp(Exception):
    """`diarium setup` runs once, into an installation without a municipality."""


@dataclass(frozen=True)
class Installation:
    municipality: Municipality
    administrator: User


@atomic_with_retry
def set_up(actor: Actor, *, name: str, code: str, organisation_number: str, username: str,
           password: str, email: str = "", first_name: str = "",
           last_name: str = "") -> Installation:
    """A new installation's municipality and its first administrator, nothing else: the
    boards, series, administrations, units and people follow from an organisation file
    (`diarium organisation import`) or the staff UI. The administrator is a superuser,
    since no board exists yet to hold a role in; the organisation file gives them their
    daily roles. Refused when any municipality exists (AlreadySetUp)."""
    _require(actor, lambda user: False)  # a principal (the command line) or a superuser
    existing = Municipality.objects.select_for_update().order_by("name").first()
    if existing is not None:
        raise AlreadySetUp(_("Diarium is already set up: the municipality %(name)s (%(code)s) "
                             "exists. Change the organisation with `diarium organisation "
                             "import` or in the staff UI.") % {
            "name": existing.name, "code": existing.code})
    with transaction.atomic():  # both or neither, inside a caller's transaction too
        municipality = create_municipality(actor, name=name, code=code,
                                           organisation_number=organisation_number)
        administrator = create_user(actor, username=username, municipality=municipality,
                                    password=password, email=email, first_name=first_name,
                                    last_name=last_name, is_staff=True, is_superuser=True)
    return Installation(municipality, administrator)


def _authority_snapshot(authority: Authority) -> dict:
    return {"code": authority.code, "name": authority.name,
            "organisation_number": authority.organisation_number,
            "members": sorted(m.code for m in authority.member_municipalities.all())}


@atomic_with_retry
def create_authority(actor: Actor, municipality: Municipality, *, code: str, name: str,
                     organisation_number: str = "",
                     members: Iterable[Municipality] = ()) -> Authority:
    """A board. members: the municipalities a joint board (gemensam nämnd) serves, the
    host municipality among them."""
    _require(actor, _administers(municipality.pk))
    if not AUTHORITY_CODE.fullmatch(code.strip()):
        raise ValidationError({"code": _("An authority's code is 1–16 capital letters, "
                                         "digits or hyphens, e.g. KS or ÖFN.")})
    authority = _save(Authority(municipality=municipality, code=code.strip(),
                                name=name.strip(),
                                organisation_number=organisation_number.strip()))
    authority.member_municipalities.set(list(members))
    audit.record(actor=actor, action="organisation.authority_created", obj=authority,
                 chain=_authority_chain(authority), after=_authority_snapshot(authority))
    return authority


@atomic_with_retry
def update_authority(actor: Actor, authority: Authority, *, name: str,
                     organisation_number: str = "",
                     members: Iterable[Municipality] | None = None) -> Authority:
    """Rename a board, give its organisation number, or change the members of a joint
    board (None keeps them). Its code is never changed: diary numbers carry it."""
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    _require(actor, lambda user: access_for(user).has(authority.pk, ADMIN_ROLES))
    before = _authority_snapshot(authority)
    authority.name, authority.organisation_number = name.strip(), organisation_number.strip()
    _save(authority, ["name", "organisation_number"])
    if members is not None:
        authority.member_municipalities.set(list(members))
    changed_before, changed_after = audit.diff(before, _authority_snapshot(authority))
    audit.record(actor=actor, action="organisation.authority_changed", obj=authority,
                 chain=_authority_chain(authority), before=changed_before,
                 after=changed_after)
    return authority


@atomic_with_retry
def create_administration(actor: Actor, municipality: Municipality, *, name: str,
                          authorities: Iterable[Authority] = ()) -> Administration:
    """A förvaltning and the boards it serves."""
    _require(actor, _administers(municipality.pk))
    served = list(authorities)
    if any(a.municipality_id != municipality.pk for a in served):
        raise ValidationError({"authorities": _("The boards must be the municipality's.")})
    administration = _save(Administration(municipality=municipality, name=name.strip()))
    administration.authorities.set(served)
    audit.record(actor=actor, action="organisation.administration_created",
                 obj=administration,
                 after={"name": administration.name, "authorities": [a.code for a in served]})
    return administration


@atomic_with_retry
def update_administration(actor: Actor, administration: Administration, *,
                          authorities: Iterable[Authority]) -> Administration:
    """Change the boards an administration serves. (Its name is how files and people
    know it; a renamed administration is a new one.)"""
    administration = Administration.objects.select_for_update().get(pk=administration.pk)
    _require(actor, _administers(administration.municipality_id))
    served = list(authorities)
    if any(a.municipality_id != administration.municipality_id for a in served):
        raise ValidationError({"authorities": _("The boards must be the municipality's.")})
    before = sorted(a.code for a in administration.authorities.all())
    administration.authorities.set(served)
    after = sorted(a.code for a in served)
    if before != after:
        audit.record(actor=actor, action="organisation.administration_changed",
                     obj=administration, before={"authorities": before},
                     after={"authorities": after})
    return administration


@atomic_with_retry
def create_unit(actor: Actor, administration: Administration, *, name: str) -> Unit:
    _require(actor, _administers(administration.municipality_id))
    unit = _save(Unit(administration=administration, name=name.strip()))
    audit.record(actor=actor, action="organisation.unit_created", obj=unit,
                 after={"name": unit.name, "administration": administration.name})
    return unit


@atomic_with_retry
def rename_unit(actor: Actor, unit: Unit, name: str) -> Unit:
    unit = Unit.objects.select_for_update().select_related("administration").get(pk=unit.pk)
    _require(actor, _administers(unit.administration.municipality_id))
    before, unit.name = unit.name, name.strip()
    _save(unit, ["name"])
    audit.record(actor=actor, action="organisation.unit_changed", obj=unit,
                 before={"name": before}, after={"name": unit.name})
    return unit


def _user_snapshot(user: User) -> dict:
    return {"username": user.get_username(), "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email, "unit": user.unit_id,
            "home_municipality": user.home_municipality_id, "is_active": user.is_active,
            "external_id": user.external_id, "identity_source": user.identity_source}


def _known_fields(fields: dict) -> None:
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {
            "fields": ", ".join(sorted(unknown))})


@atomic_with_retry
def create_user(actor: Actor, *, username: str, municipality: Municipality,
                password: str | None = None, password_validators: list | None = None,
                **fields) -> User:
    """A staff member of the municipality (their home municipality, unless `fields` says
    another, e.g. a neighbour's officer in a joint board). Without a password the user
    cannot log in with one; password_validators: instead of the configured ones (the demo's
    published passwords). fields: first_name, last_name, email, unit, and is_staff and
    is_superuser (the Django admin's) when the actor is a superuser or a principal."""
    flags = {name: fields.pop(name) for name in ADMIN_FIELDS if name in fields}
    _require(actor, (lambda user: False) if any(flags.values())
             else _administers(municipality.pk), directory=not any(flags.values()))
    _known_fields(fields)
    user = User(username=username.strip(), **{"home_municipality": municipality, **fields},
                **flags)
    if problems := new_user_problems(user, password, password_validators):
        raise ValidationError(problems)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    audit.record(actor=actor, action="organisation.user_created", obj=user,
                 after=_user_snapshot(user) | flags)
    return user


def new_user_problems(user: User, password: str | None, password_validators: list | None = None,
                      exclude: Iterable[str] = ()) -> dict[str, list[str]]:
    """Every problem of a new user at once, by field: the row's (a username taken or not
    allowed, an e-mail address, lengths) and the password's against the validators, so
    that a form shows them together rather than one after another. `exclude`: fields
    not yet chosen (a form checks before it has the municipality)."""
    problems: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password", *exclude])
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if password is not None:
        try:
            validate_password(password, user, password_validators=password_validators)
        except ValidationError as exc:
            problems.setdefault("password", []).extend(exc.messages)
    return problems


@atomic_with_retry
def update_user(actor: Actor, user: User, **fields) -> User:
    """Change a user's name, e-mail, unit, home municipality or whether they are active
    (a user is deactivated, never deleted: the audit log names them)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require(actor, _administers(user.home_municipality_id), directory=True)
    _known_fields(fields)
    if fields.get("is_active") is False and getattr(actor, "pk", None) == user.pk:
        raise ValidationError({"is_active": _("You cannot deactivate yourself; ask another "
                                              "administrator.")})
    before = _user_snapshot(user)
    for name, value in fields.items():
        setattr(user, name, value)
    _save(user, list(fields))
    changed_before, changed_after = audit.diff(before, _user_snapshot(user))
    audit.record(actor=actor, action="organisation.user_changed", obj=user,
                 before=changed_before, after=changed_after)
    return user


def _may_sign_in_as(target: User):
    """Who may set a user's password, and so could sign in as them: an administrator of
    the user's municipality who is administrator in every authority where the user holds
    a role (no way into another board's records), never for a superuser."""
    def check(user: User) -> bool:
        if target.is_superuser or target.is_staff:
            return user.is_superuser
        held = set(RoleAssignment.objects.filter(user=target)
                   .values_list("authority_id", flat=True))
        return _administers(target.home_municipality_id)(user) and \
            held <= access_for(user).authorities_with(ADMIN_ROLES)
    return check


@atomic_with_retry
def set_password(actor: Actor, user: User, password: str | None) -> User:
    """Give a user a new password (checked against the password rules), or None: no
    password login (single sign-on only). The password never reaches the audit log."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require(actor, _may_sign_in_as(user))
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="organisation.password_set", obj=user,
                 after={"user": user.get_username(), "usable": password is not None})
    return user


def _role_check(authority: Authority):
    return lambda user: access_for(user).has(authority.pk, ADMIN_ROLES)


@atomic_with_retry
def assign_role(actor: Actor, user: User, authority: Authority, role: str) -> RoleAssignment:
    """Give a user a role in an authority (nothing changes when they hold it already)."""
    _require(actor, _role_check(authority), directory=True)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    found, created = RoleAssignment.objects.get_or_create(user=user, authority=authority,
                                                          role=role)
    if created:
        audit.record(actor=actor, action="organisation.role_assigned", obj=user,
                     chain=_authority_chain(authority),
                     after={"user": user.get_username(), "role": role})
    return found


@atomic_with_retry
def remove_role(actor: Actor, user: User, authority: Authority, role: str) -> None:
    _require(actor, _role_check(authority), directory=True)
    deleted, _per_model = RoleAssignment.objects.filter(user=user, authority=authority,
                                                         role=role).delete()
    if not deleted:
        raise ValidationError({"role": _("The user does not hold that role there.")})
    audit.record(actor=actor, action="organisation.role_removed", obj=user,
                 chain=_authority_chain(authority),
                 before={"user": user.get_username(), "role": role})


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
def create_api_token(actor: Actor, user: User, name: str = "",
                     days: int | None = None) -> NewToken:
    """A new API token for `user`, made by the user, an administrator who manages them, or
    the operator on the command line (system:operator). The key is returned once and stored
    only as a digest."""
    actors.require(actor, "organisation.token",
                   lambda me: tokens.managed_users(me).filter(pk=user.pk).exists(),
                   _("You may not make tokens for this user."))
    key = tokens.new_key()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[: tokens.PREFIX_LENGTH],
        digest=tokens.digest(key), created_by=actors.user_of(actor), expires_at=_expiry(days),
    )
    audit.record(actor=actor, action="api.token_created", obj=user, after={
        "user": user.get_username(), "token": str(token.pk), "prefix": token.prefix,
        "name": token.name, "expires_at": token.expires_at,
    })
    return NewToken(token=token, key=key)


@atomic_with_retry
def revoke_api_token(actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once. Revoked tokens stay listed, with who revoked them and when."""
    actors.require(actor, "organisation.token",
                   lambda me: tokens.managed_users(me).filter(pk=token.user_id).exists(),
                   _("You may not revoke this token."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), actors.user_of(actor)
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor=actor, action="api.token_revoked", obj=token.user, after={
            "user": token.user.get_username(), "token": str(token.pk), "prefix": token.prefix,
        })
    return token


@atomic_with_retry
def confirm_two_factor(actor: Actor, user: User, device, code: str) -> bool:
    """Confirm the authenticator app being enrolled (twofactor.unconfirmed_device) with a
    code it shows; the user's only device from then on. False for a wrong code."""
    actors.require(actor, MANAGE, lambda me: me.pk == user.pk,
                   _("Only the user enrols their own authenticator."))
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=actor, action="login.two_factor_enrolled", obj=user,
                 after={"user": user.get_username(), "kind": "totp"})
    return True


@atomic_with_retry
def reset_two_factor(actor: Actor, user: User) -> int:
    """Remove a user's authenticator (a lost phone): by the user themselves unless they
    must use two factors, or by whoever may set their password (set_password's rule).
    Returns how many devices were removed."""
    from diarium.organisation import twofactor

    def may(me: User) -> bool:
        if me.pk == user.pk:
            return not (settings.REQUIRE_2FA_FOR_ADMINS and twofactor.is_administrator(me))
        return _may_sign_in_as(user)(me)

    actors.require(actor, MANAGE, may, _("You may not remove this user's authenticator."))
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit.record(actor=actor, action="login.two_factor_reset", obj=user,
                     after={"user": user.get_username(), "removed": removed})
    return removed


@atomic_with_retry
def unlock_login(actor: Actor, *, username: str = "", address: str = "") -> int:
    """Lift a lockout (lockout.py) of a username or a client address: an administrator's
    decision, or the operator's on the command line, audited. Returns how many failed
    attempts were cleared."""
    actors.require(actor, MANAGE, tokens.may_manage_others,
                   _("Only administrators may unlock logins."))
    cleared = lockout.clear(username=username, address=address)
    audit.record(actor=actor, action="login.unlocked", object_type="login",
                 object_id=username or address,
                 after={"username": username, "address": address, "cleared": cleared})
    return cleared
