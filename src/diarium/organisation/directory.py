"""The directory sync: users from LDAP or Active Directory (`diarium directory sync`, the
`organisation.directory_sync` job).

It reads every person under DIARIUM_LDAP_USER_BASE that matches DIARIUM_LDAP_USER_FILTER
(paged, so a directory of any size), marks those that match DIARIUM_LDAP_DISABLED_FILTER as
disabled, and brings Diarium's users in line, through organisation/services.py as
system:directory (or the user who runs it), each change audited:

- a person not yet in Diarium gets an account (unless DIARIUM_LDAP_CREATE_USERS is off),
  with username, name, e-mail, external id and unit from their attributes; a disabled one
  does not;
- a known person (matched as at a single sign-on, identity.py) gets the directory's name,
  e-mail, external id and unit, and is from then on kept by the directory;
- a user kept by the directory who is no longer in it, or is disabled there, is
  deactivated (never deleted); one the sync deactivated comes back when they come back;
- with a groups attribute (memberOf), roles follow DIARIUM_SSO_GROUP_ROLES as at sign-in.

Local accounts (no identity source) that match nobody in the directory are never touched.
A run that would deactivate more than DIARIUM_LDAP_MAX_DEACTIVATE_SHARE of the directory's
users stops before it changes anything (a wrong base or filter must not empty Diarium):
`--force` lets it. A dry run reads and plans and changes nothing; both print the same
report."""

from __future__ import annotations

import logging
import ssl
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from diarium.audit.models import AuditEvent
from diarium.core.actors import DIRECTORY, Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation import identity, services
from diarium.organisation.models import IdentitySource, Municipality, Unit, User

log = logging.getLogger(__name__)

CREATE, UPDATE, DEACTIVATE, REACTIVATE, ROLES, SKIP = (
    "create", "update", "deactivate", "reactivate", "roles", "skip")


class DirectoryError(Exception):
    """The directory could not be read, or the run would do too much: nothing changed."""


@dataclass(frozen=True)
class Entry:
    """One person of the directory."""

    dn: str
    person: identity.Identity
    unit: str
    disabled: bool


@dataclass
class Change:
    action: str
    username: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name: (before, after)
    roles: identity.RoleChange | None = None
    note: str = ""
    # what applying it needs
    entry: Entry | None = None
    user: User | None = None
    unit: Unit | None = None


@dataclass
class Report:
    dry_run: bool
    entries: int = 0
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = Counter(c.action for c in self.changes)
        return {a: counted.get(a, 0) for a in (CREATE, UPDATE, REACTIVATE, DEACTIVATE,
                                               ROLES, SKIP)}

    def lines(self) -> list[str]:
        found = []
        for change in self.changes:
            line = f"{change.action}\t{change.username}"
            for name, (before, after) in change.fields.items():
                line += f"\t{name}: {before!r} -> {after!r}"
            if change.roles:
                line += "".join(f"\t+{c}:{r}" for c, r in sorted(change.roles.add))
                line += "".join(f"\t-{c}:{r}" for c, r in sorted(change.roles.remove))
            if change.note:
                line += f"\t({change.note})"
            found.append(line)
        return found

    def summary(self) -> dict[str, Any]:
        return {"entries": self.entries, "dry_run": self.dry_run, **self.counts(),
                "problems": self.problems}


def config() -> dict[str, Any]:
    found = settings.LDAP_SYNC
    if not found:
        raise ImproperlyConfigured("no directory configured: set DIARIUM_LDAP_URL and "
                                   "DIARIUM_LDAP_USER_BASE (docs/sign-in.md)")
    return found


# --- reading ---------------------------------------------------------------------------

def _connection(conf: Mapping[str, Any]):
    import ldap3

    tls = None
    if conf["url"].startswith("ldaps://") or conf["start_tls"]:
        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=conf["ca_file"] or None)
    server = ldap3.Server(conf["url"], get_info=ldap3.NONE, tls=tls,
                          connect_timeout=int(conf["timeout"]))
    connection = ldap3.Connection(server, user=conf["bind_dn"] or None,
                                  password=conf["bind_password"] or None,
                                  receive_timeout=int(conf["timeout"]), read_only=True,
                                  raise_exceptions=True)
    connection.open()
    if conf["start_tls"]:
        connection.start_tls()
    connection.bind()
    return connection


def _search(connection, conf: Mapping[str, Any], search_filter: str,
            attributes: list[str]) -> Iterable[dict]:
    import ldap3

    for found in connection.extend.standard.paged_search(
            conf["user_base"], search_filter, search_scope=ldap3.SUBTREE,
            attributes=attributes or ldap3.NO_ATTRIBUTES, paged_size=500, generator=True):
        if found.get("type") == "searchResEntry":
            yield found


def read(conf: Mapping[str, Any] | None = None) -> list[Entry]:
    """Every person of the directory (DirectoryError when it cannot be read)."""
    import ldap3.core.exceptions

    conf = conf or config()
    names = conf["attributes"]
    wanted = sorted({v for v in names.values() if v})
    try:
        connection = _connection(conf)
        try:
            raw = list(_search(connection, conf, conf["user_filter"], wanted))
            disabled: set[str] = set()
            if conf["disabled_filter"]:
                disabled = {e["dn"].lower() for e in _search(
                    connection, conf, f"(&{conf['user_filter']}{conf['disabled_filter']})", [])}
        finally:
            connection.unbind()
    except ldap3.core.exceptions.LDAPException as exc:
        raise DirectoryError(f"cannot read the directory {conf['url']}: {exc}") from exc
    entries = []
    for found in raw:
        attributes = found["attributes"]  # case-insensitive names, as LDAP's are
        person = identity.identity_from(
            {attr: attributes.get(attr) for attr in wanted}, conf["profile"])
        unit = attributes.get(names["unit"]) if names.get("unit") else None
        entries.append(Entry(dn=found["dn"], person=person, unit=identity.first(unit),
                             disabled=found["dn"].lower() in disabled))
    return entries


# --- planning --------------------------------------------------------------------------

def _units(municipality: Municipality | None) -> dict[str, Unit | None]:
    """Unit by "Administration/Unit" and by its name alone where that is unique."""
    units = Unit.objects.select_related("administration")
    if municipality is not None:
        units = units.filter(administration__municipality=municipality)
    by_name: dict[str, Unit | None] = {}
    found: dict[str, Unit | None] = {}
    for unit in units:
        found[f"{unit.administration.name}/{unit.name}".casefold()] = unit
        key = unit.name.casefold()
        by_name[key] = None if key in by_name else unit  # None: ambiguous
    return {**by_name, **found}


def _deactivated_by_sync(users: list[User]) -> set[int]:
    """Of these inactive users, those whose last activity change was the sync's."""
    last: dict[str, AuditEvent] = {}
    events = AuditEvent.objects.filter(
        action="organisation.user_changed", object_type="organisation.user",
        object_id__in=[str(u.pk) for u in users]).order_by("occurred_at", "seq")
    for event in events:
        if "is_active" in (event.after or {}):
            last[event.object_id] = event
    return {u.pk for u in users if (e := last.get(str(u.pk))) is not None
            and e.actor_name == DIRECTORY.name and e.after["is_active"] is False}


def plan(entries: list[Entry], conf: Mapping[str, Any], *, dry_run: bool) -> Report:
    report = Report(dry_run=dry_run, entries=len(entries))
    profile = conf["profile"]
    try:
        municipality = identity.municipality_for(profile["municipality"])
    except identity.Refused as exc:
        municipality = None
        report.problems.append(str(exc))
    units = _units(municipality)
    known = identity.Directory(profile["match_field"], profile["group_roles"])
    seen: set[int] = set()
    inactive: list[tuple[Change, User]] = []
    for entry in entries:
        try:
            user = known.find(entry.person)
        except identity.Refused as exc:
            report.problems.append(f"{entry.dn}: {exc}")
            continue
        if not entry.person.key:
            report.problems.append(f"{entry.dn}: no {profile['match_claim']}")
            continue
        unit = units.get(entry.unit.casefold()) if entry.unit else None
        if entry.unit and unit is None:
            report.problems.append(f"{entry.dn}: no single unit {entry.unit!r} in Diarium")
        if user is None:
            if entry.disabled or not profile["create_users"] or municipality is None:
                continue
            username = entry.person.fields.get("username", "")
            if username.casefold() in known.usernames:
                report.problems.append(f"{entry.dn}: the username {username!r} belongs to "
                                       f"another user, who does not match by "
                                       f"{profile['match_field']}")
                continue
            fields = {n: ("", v) for n in identity.PROFILE_FIELDS
                      if (v := entry.person.fields.get(n))}
            if unit is not None:
                fields["unit"] = (None, str(unit))
            report.changes.append(Change(
                CREATE, username, fields,
                roles=known.role_changes(None, entry.person, profile["group_roles"]),
                entry=entry, unit=unit))
            continue
        seen.add(user.pk)
        if entry.disabled:
            if user.is_active and user.identity_source == IdentitySource.DIRECTORY:
                report.changes.append(Change(DEACTIVATE, user.username,
                                             {"is_active": (True, False)},
                                             note="disabled in the directory", user=user))
            continue
        fields = {n: (getattr(user, n), v)
                  for n, v in identity.field_changes(user, entry.person).items()}
        if unit is not None and unit.pk != user.unit_id:
            fields["unit"] = (str(user.unit) if user.unit_id else None, str(unit))
        if user.identity_source != IdentitySource.DIRECTORY:
            fields["identity_source"] = (user.identity_source, IdentitySource.DIRECTORY.value)
        roles = known.role_changes(user, entry.person, profile["group_roles"])
        change = Change(UPDATE if fields else (ROLES if roles else SKIP), user.username,
                        fields, roles=roles, entry=entry, user=user, unit=unit)
        if not user.is_active:
            inactive.append((change, user))
            continue
        if change.action != SKIP:
            report.changes.append(change)
    back = _deactivated_by_sync([u for _c, u in inactive])
    for change, user in inactive:
        if user.pk in back:
            change.action = REACTIVATE
            change.fields["is_active"] = (False, True)
            report.changes.append(change)
        else:
            report.changes.append(Change(SKIP, user.username, user=user,
                                         note="deactivated in Diarium by an administrator"))
    gone = User.objects.filter(identity_source=IdentitySource.DIRECTORY, is_active=True
                               ).exclude(pk__in=seen).order_by("username")
    for user in gone:
        report.changes.append(Change(DEACTIVATE, user.username, {"is_active": (True, False)},
                                     note="not in the directory", user=user))
    return report


# --- applying ---------------------------------------------------------------------------

@atomic_with_retry
def _apply(actor: Actor, change: Change, profile: Mapping[str, Any]) -> None:
    if change.action == CREATE:
        extra = {"unit": change.unit} if change.unit is not None else {}
        user = identity.create(actor, change.entry.person, profile, **extra)
        if change.roles:
            identity.apply_roles(actor, user, change.roles)
        return
    user = change.user
    if change.action == DEACTIVATE:
        services.update_user(actor, user, is_active=False)
        return
    fields = {name: after for name, (_before, after) in change.fields.items()}
    if "unit" in fields:
        fields["unit"] = change.unit
    if fields:
        user = services.update_user(actor, user, **fields)
    if change.roles:
        identity.apply_roles(actor, user, change.roles)


def sync(actor: Actor = DIRECTORY, *, dry_run: bool = False, force: bool = False,
         conf: Mapping[str, Any] | None = None) -> Report:
    """Read the directory, plan, and (unless dry_run) apply, one user per transaction."""
    conf = conf or config()
    report = plan(read(conf), conf, dry_run=dry_run)
    leaving = report.counts()[DEACTIVATE]
    kept = User.objects.filter(identity_source=IdentitySource.DIRECTORY, is_active=True).count()
    if leaving and not force and leaving > conf["max_deactivate_share"] * max(kept, 1):
        message = (f"{leaving} of {kept} users of the directory would be deactivated, more "
                   f"than DIARIUM_LDAP_MAX_DEACTIVATE_SHARE={conf['max_deactivate_share']}: "
                   "check the base and filters, then run with --force")
        if not dry_run:
            raise DirectoryError(message)
        report.problems.append(message)
    if dry_run:
        return report
    for change in report.changes:
        if change.action != SKIP:
            try:
                _apply(actor, change, conf["profile"])
            except (identity.Refused, ValidationError) as exc:
                report.problems.append(f"{change.username}: {exc}")
    for problem in report.problems:
        log.warning("directory sync: %s", problem)
    return report
