"""People from the municipality's identity provider or directory: one set of rules for
OpenID Connect (oidc.py), SAML (saml.py) and the LDAP sync (directory.py).

A source hands over a person's claims (the ID token and userinfo, the SAML assertion's
attributes, an LDAP entry). A *profile* (organisation/signin_conf.py) says which claim
identifies the person and which user field it is matched against (username, e-mail or
external id), where names and e-mail are read, whether unknown people get an account, and
which claim lists their groups. The rules:

- A person is matched to exactly one user, case-insensitively; two matches refuse the login
  (the directory has a duplicate to clear up), never pick one.
- An unknown person gets an account only when the profile allows it, in the configured
  municipality (DIARIUM_SSO_MUNICIPALITY, or the only one), and never takes over an
  existing username. Their username is never changed later: the audit log names them.
- Name, e-mail and external id follow the source; an empty claim changes nothing.
- Roles follow the groups (DIARIUM_SSO_GROUP_ROLES: group → AUTHORITY:role) only where a
  groups claim is configured, and only the (authority, role) pairs the mapping mentions:
  roles given by hand in other pairs stay.
- Every change goes through organisation/services.py with a system principal as the actor
  (system:signin for a login, system:directory for the sync), so it is checked and audited
  like an administrator's; a login's changes are one transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from diarium.core.actors import Actor
from diarium.organisation import services
from diarium.organisation.models import Authority, Municipality, RoleAssignment, User

log = logging.getLogger(__name__)

PROFILE_FIELDS = ("first_name", "last_name", "email", "external_id")


class Refused(Exception):
    """The person may not sign in, or cannot be given an account; the message says why
    (for the log and the operator, never shown to the person in detail)."""


@dataclass(frozen=True)
class Identity:
    """A person as the source describes them."""

    key: str  # the value that identifies them (the match claim's)
    fields: dict[str, str]  # username, first_name, last_name, email, external_id
    groups: frozenset[str] | None  # None: the source says nothing of groups
    extra: dict[str, Any] = field(default_factory=dict)  # source-specific (the unit)


def first(value: Any) -> str:
    """A claim's single value: SAML and LDAP give lists, OIDC mostly strings."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return "" if value is None else str(value).strip()


def many(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, (str, bytes)):
        value = [value]
    return frozenset(first(v) for v in value if first(v))


def identity_from(claims: Mapping[str, Any], profile: Mapping[str, Any]) -> Identity:
    """Read an Identity from the claims by the profile's names."""
    names = profile["claims"]
    fields = {name: first(claims.get(claim)) if claim else ""
              for name, claim in names.items()}
    key = first(claims.get(profile["match_claim"]))
    if not fields.get(profile["match_field"]):
        fields[profile["match_field"]] = key
    if not fields.get("username"):
        fields["username"] = key if profile["match_field"] == "username" else \
            fields.get("email", "") or key
    groups_claim = profile.get("groups_claim")
    groups = many(claims.get(groups_claim)) if groups_claim else None
    return Identity(key=key, fields=fields, groups=groups)


def find_user(identity: Identity, match_field: str) -> User | None:
    """The one user the identity names (Refused when several do)."""
    if not identity.key:
        raise Refused("the match claim is missing or empty")
    lookup = {"username": "username__iexact", "email": "email__iexact",
              "external_id": "external_id"}[match_field]
    found = list(User.objects.filter(**{lookup: identity.key})[:2])
    if len(found) > 1:
        raise Refused(f"several users have {match_field} {identity.key!r}")
    return found[0] if found else None


def municipality_for(code: str) -> Municipality:
    if code:
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise Refused(f"no municipality with code {code!r} (DIARIUM_SSO_MUNICIPALITY)")
        return found
    only = list(Municipality.objects.all()[:2])
    if len(only) != 1:
        raise Refused("set DIARIUM_SSO_MUNICIPALITY: new users need a home municipality")
    return only[0]


def field_changes(user: User, identity: Identity) -> dict[str, str]:
    """The profile fields the source gives and that differ from the user's."""
    return {name: identity.fields[name] for name in PROFILE_FIELDS
            if identity.fields.get(name) and identity.fields[name] != getattr(user, name)}


def wanted_roles(groups: Iterable[str], mapping: Mapping[str, list]) -> set[tuple[str, str]]:
    folded = {g.casefold(): pairs for g, pairs in mapping.items()}
    wanted: set[tuple[str, str]] = set()
    for group in groups:
        wanted.update(tuple(p) for p in folded.get(group.casefold(), ()))
    return wanted


def managed_roles(mapping: Mapping[str, list]) -> set[tuple[str, str]]:
    return {tuple(p) for pairs in mapping.values() for p in pairs}


@dataclass(frozen=True)
class RoleChange:
    add: frozenset[tuple[str, str]]
    remove: frozenset[tuple[str, str]]
    unknown: frozenset[str]  # authority codes of the mapping that do not exist

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)


def role_changes(user: User | None, groups: frozenset[str] | None,
                 mapping: Mapping[str, list], *, held: set[tuple[str, str]] | None = None,
                 existing: set[str] | None = None) -> RoleChange:
    """What the groups say about the user's roles: the mapped pairs to add, the mapped
    pairs held without the group to remove. Nothing when the source gives no groups.
    held, existing: the user's mapped roles and the authority codes that exist, when the
    caller read them for many users at once (the directory sync)."""
    if groups is None or not mapping:
        return RoleChange(frozenset(), frozenset(), frozenset())
    managed = managed_roles(mapping)
    codes = {code for code, _role in managed}
    if existing is None:
        existing = set(Authority.objects.filter(code__in=codes).values_list("code", flat=True))
    if held is None:
        held = set()
        if user is not None and user.pk:
            held = {(code, role) for code, role in RoleAssignment.objects.filter(
                user=user, authority__code__in=codes).values_list("authority__code", "role")}
    wanted = {p for p in wanted_roles(groups, mapping) if p[0] in existing}
    remove = (held & managed) - wanted
    return RoleChange(frozenset(wanted - held), frozenset(remove),
                      frozenset(codes - existing))


class Directory:
    """Every user, indexed for matching, and their mapped roles, read in three queries:
    what matching one person at a time (find_user, role_changes) reads per person."""

    LOOKUP = {"username": str.casefold, "email": str.casefold, "external_id": str}

    def __init__(self, match_field: str, mapping: Mapping[str, list]) -> None:
        self.match_field = match_field
        normal = self.LOOKUP[match_field]
        self.users: dict[str, list[User]] = {}
        self.usernames: set[str] = set()
        for user in User.objects.select_related("unit"):
            self.usernames.add(user.username.casefold())
            if value := getattr(user, match_field):
                self.users.setdefault(normal(value), []).append(user)
        codes = {code for code, _role in managed_roles(mapping)}
        self.existing = set(Authority.objects.filter(code__in=codes)
                            .values_list("code", flat=True))
        self.held: dict[int, set[tuple[str, str]]] = {}
        for user_id, code, role in RoleAssignment.objects.filter(
                authority__code__in=codes).values_list("user_id", "authority__code", "role"):
            self.held.setdefault(user_id, set()).add((code, role))
        self._normal = normal

    def find(self, identity: Identity) -> User | None:
        if not identity.key:
            raise Refused("the match claim is missing or empty")
        found = self.users.get(self._normal(identity.key), [])
        if len(found) > 1:
            raise Refused(f"several users have {self.match_field} {identity.key!r}")
        return found[0] if found else None

    def role_changes(self, user: User | None, identity: Identity,
                     mapping: Mapping[str, list]) -> RoleChange:
        held = self.held.get(user.pk, set()) if user is not None else set()
        return role_changes(user, identity.groups, mapping, held=held, existing=self.existing)


def apply_roles(actor: Actor, user: User, change: RoleChange) -> None:
    authorities = {a.code: a for a in Authority.objects.filter(
        code__in={c for c, _r in change.add | change.remove})}
    for code, role in sorted(change.add):
        services.assign_role(actor, user, authorities[code], role)
    for code, role in sorted(change.remove):
        services.remove_role(actor, user, authorities[code], role)


def create(actor: Actor, identity: Identity, profile: Mapping[str, Any],
           **extra: Any) -> User:
    """An account for a person not yet known (Refused when the username is taken)."""
    username = identity.fields.get("username", "")
    if not username:
        raise Refused("no username for the new user")
    if User.objects.filter(username__iexact=username).exists():
        raise Refused(f"the username {username!r} belongs to another user, who does not "
                      f"match by {profile['match_field']}")
    fields = {name: identity.fields[name] for name in PROFILE_FIELDS
              if identity.fields.get(name)}
    try:
        return services.create_user(actor, username=username,
                                     municipality=municipality_for(profile["municipality"]),
                                     identity_source=profile["source"], **fields, **extra)
    except ValidationError as exc:
        raise Refused(f"cannot create {username!r}: {exc}") from exc


def sign_in(actor: Actor, claims: Mapping[str, Any], profile: Mapping[str, Any]) -> User:
    """The user a single sign-on names, created and brought up to date in one
    transaction (Refused: no login)."""
    identity = identity_from(claims, profile)
    with transaction.atomic():
        user = find_user(identity, profile["match_field"])
        if user is None:
            if not profile["create_users"]:
                raise Refused(f"no user matches {profile['match_field']} {identity.key!r} "
                              "and new users are not created")
            user = create(actor, identity, profile)
        elif not user.is_active:
            raise Refused(f"{user.username} is deactivated")
        elif changes := field_changes(user, identity):
            clash = changes.get("external_id") and User.objects.filter(
                ~Q(pk=user.pk), external_id=changes["external_id"]).exists()
            if clash:
                raise Refused(f"another user has the external id {changes['external_id']!r}")
            user = services.update_user(actor, user, **changes)
        change = role_changes(user, identity.groups, profile["group_roles"])
        for code in sorted(change.unknown):
            log.warning("group roles name the authority %s, which does not exist", code)
        if change:
            apply_roles(actor, user, change)
    return user
