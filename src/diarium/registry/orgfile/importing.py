"""Applying an organisation file: every row through the audited services of the
organisation (and the registry's for diary series), all in one transaction.

Rules (docs/organisation-file.md):
- A row whose key exists updates that object where its values differ; any other row
  creates one. Nothing is deleted, except roles (below); a user is deactivated with
  `aktiv: nej`. A column left out of the file leaves that field as it is.
- When the file has a `roller` sheet, every user it names (there or in `anvandare`) gets
  exactly the roles it gives them: roles they hold that the file does not list are taken
  away.
- The file is checked whole: every problem is reported with its sheet, row and column,
  and when there is any, nothing is applied (the transaction is rolled back). A dry run
  does all the same work and rolls it back too, so what it reports is what an import would
  do, permission checks included."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation import services as org
from diarium.organisation.models import (
    Administration,
    Authority,
    Municipality,
    RoleAssignment,
    Unit,
    User,
)
from diarium.organisation.selectors import may_administer
from diarium.registry import services as registry
from diarium.registry.models import DiarySeries
from diarium.registry.orgfile import sheets as s
from diarium.registry.orgfile.files import Issue, OrganisationFileError, Row, Workbook

CREATED, UPDATED, UNCHANGED, REMOVED = "created", "updated", "unchanged", "removed"
STATUSES = (CREATED, UPDATED, UNCHANGED, REMOVED)

# Where a service's error about a field is shown.
FIELD_COLUMNS = {
    s.MUNICIPALITIES.name: {"code": "kod", "name": "namn",
                            "organisation_number": "organisationsnummer"},
    s.AUTHORITIES.name: {"code": "kod", "name": "namn", "organisation_number":
                         "organisationsnummer", "members": "medlemskommuner"},
    s.SERIES.name: {"code": "kod", "name": "namn", "active": "aktiv",
                    "number_format": "nummerformat", "number_padding": "nollutfyllnad"},
    s.ADMINISTRATIONS.name: {"name": "namn", "authorities": "myndigheter"},
    s.UNITS.name: {"name": "namn"},
    s.USERS.name: {"username": "användarnamn", "first_name": "förnamn",
                   "last_name": "efternamn", "email": "epost", "unit": "enhet",
                   "home_municipality": "hemkommun", "is_active": "aktiv"},
    s.ROLES.name: {"role": "roll"},
}


@dataclass(frozen=True)
class Change:
    sheet: str
    row: int | None
    key: str
    status: str
    fields: tuple[tuple[str, str, str], ...] = ()  # (column, before, after)


@dataclass
class Report:
    dry_run: bool
    changes: list[Change] = field(default_factory=list)

    def count(self, status: str, sheet: str | None = None) -> int:
        return sum(1 for c in self.changes
                   if c.status == status and (sheet is None or c.sheet == sheet))

    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per sheet (in the file's order) the number of each status."""
        return [(sheet.name, {status: self.count(status, sheet.name) for status in STATUSES})
                for sheet in s.SHEETS
                if any(c.sheet == sheet.name for c in self.changes)]

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.status != UNCHANGED]


class _Rollback(Exception):
    def __init__(self, report: Report):
        self.report = report


def import_organisation(actor: Actor, book: Workbook, *, dry_run: bool = False,
                        source: dict | None = None) -> Report:
    """Apply the file, or (dry_run) find out what applying it would do. Raises
    OrganisationFileError with every problem, having applied nothing.

    source: what the audit event of the import records about the file (its name and
    SHA-256)."""
    actors.require(actor, org.MANAGE, may_administer,
                   _("Only administrators may import an organisation file."))
    try:
        return _apply(actor, book, dry_run, source or {})
    except _Rollback as rolled_back:
        return rolled_back.report


@atomic_with_retry
def _apply(actor: Actor, book: Workbook, dry_run: bool, source: dict) -> Report:
    # A savepoint of its own, so that raising rolls back even inside a caller's transaction.
    with transaction.atomic():
        run = _Import(actor, book, dry_run)
        run.all()
        if run.issues:
            raise OrganisationFileError(run.issues)
        if dry_run:
            raise _Rollback(run.report)
        audit.record(actor=actor, action="organisation.imported", object_type="organisation",
                     object_id=source.get("sha256", ""), after={
                         **source, **{status: run.report.count(status) for status in STATUSES}})
        return run.report


class _Import:
    def __init__(self, actor: Actor, book: Workbook, dry_run: bool):
        self.actor, self.book = actor, book
        self.report = Report(dry_run)
        self.issues: list[Issue] = list(getattr(book, "issues", []))
        # Keys of rows that failed, by sheet: rows that refer to them are skipped without
        # a second report of the same problem.
        self.failed: dict[str, set] = {sheet.name: set() for sheet in s.SHEETS}

    # --- helpers --------------------------------------------------------------------

    def rows(self, sheet: s.Sheet) -> list[Row]:
        data = self.book.get(sheet.name)
        return data.rows if data else []

    def issue(self, sheet: s.Sheet, row: Row | None, column: str | None, message: str) -> None:
        self.issues.append(Issue(sheet.name, row.number if row else None, column, message))

    def note(self, sheet: s.Sheet, row: Row | None, key: str, status: str,
             fields: list[tuple[str, str, str]] | None = None) -> None:
        self.report.changes.append(Change(sheet.name, row.number if row else None, key,
                                          status, tuple(fields or ())))

    def checked_rows(self, sheet: s.Sheet) -> list[tuple[Row, tuple]]:
        """Rows with their key, after the checks of the file alone: required values and
        duplicate keys."""
        seen: dict[tuple, int] = {}
        good = []
        for row in self.rows(sheet):
            # A column missing from the header row was reported once, not on every row.
            missing = [c for c in sheet.must_have if not row.get(c)]
            for column in missing:
                if column in row.values:
                    self.issue(sheet, row, column, _("A value is needed."))
            key = tuple(row.get(c) for c in sheet.key)
            if missing:
                self.failed[sheet.name].add(key)
                continue
            if key in seen:
                self.issue(sheet, row, sheet.key[-1], _("The same as row %(row)s.") % {
                    "row": seen[key]})
                continue
            seen[key] = row.number
            good.append((row, key))
        return good

    def run(self, sheet: s.Sheet, row: Row | None, key: tuple, service: Callable[..., Any],
            *args: Any, **kwargs: Any) -> bool:
        """Call a service (as the importing actor) in a savepoint: True when it did; a
        refusal becomes an issue on the row."""
        try:
            with transaction.atomic():
                service(self.actor, *args, **kwargs)
            return True
        except ValidationError as exc:
            columns = FIELD_COLUMNS.get(sheet.name, {})
            if hasattr(exc, "error_dict"):
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        self.issue(sheet, row, columns.get(name), message)
            else:
                for message in exc.messages:
                    self.issue(sheet, row, None, message)
        except PermissionDenied as exc:
            self.issue(sheet, row, None, str(exc) or _("You may not make this change."))
        self.failed[sheet.name].add(key)
        return False

    def refers(self, sheet: s.Sheet, row: Row, column: str, target: s.Sheet, key: tuple,
               found: Any, what: str) -> Any:
        """A reference from one sheet to an object: found, or an issue (none when the
        object's own row failed, which was reported already). Returns found or None."""
        if found is not None:
            return found
        if key not in self.failed[target.name]:
            self.issue(sheet, row, column, _("Unknown %(what)s %(value)s.") % {
                "what": what, "value": " / ".join(k for k in key if k)})
        return None

    def municipality(self, sheet: s.Sheet, row: Row, column: str, code: str):
        return self.refers(sheet, row, column, s.MUNICIPALITIES, (code,),
                           Municipality.objects.filter(code=code).first(), _("municipality"))

    def authority(self, sheet: s.Sheet, row: Row, column: str, code: str):
        return self.refers(sheet, row, column, s.AUTHORITIES, (code,),
                           Authority.objects.filter(code=code).first(), _("authority"))

    def bool_of(self, sheet: s.Sheet, row: Row, column: str, default: bool) -> bool | None:
        value = s.parse_bool(row.get(column), default)
        if value is None:
            self.issue(sheet, row, column, _("Write ja or nej."))
        return value

    @staticmethod
    def differences(pairs: list[tuple[str, Any, Any]]) -> list[tuple[str, str, str]]:
        return [(column, _text(before), _text(after)) for column, before, after in pairs
                if before != after]

    # --- the sheets, in order -------------------------------------------------------

    def all(self) -> None:
        self.municipalities()
        self.authorities()
        self.series()
        self.administrations()
        self.units()
        self.users()
        self.roles()

    def municipalities(self) -> None:
        sheet = s.MUNICIPALITIES
        for row, key in self.checked_rows(sheet):
            code = key[0]
            found = Municipality.objects.filter(code=code).first()
            name = row.get("namn")
            number = row.get("organisationsnummer") if "organisationsnummer" in row.values \
                else (found.organisation_number if found else "")
            if found is None:
                if self.run(sheet, row, key, org.create_municipality, name=name, code=code,
                            organisation_number=number):
                    self.note(sheet, row, code, CREATED)
                continue
            diff = self.differences([("namn", found.name, name),
                                     ("organisationsnummer", found.organisation_number,
                                      number)])
            if not diff:
                self.note(sheet, row, code, UNCHANGED)
            elif self.run(sheet, row, key, org.update_municipality, found, name=name,
                          organisation_number=number):
                self.note(sheet, row, code, UPDATED, diff)

    def authorities(self) -> None:
        sheet = s.AUTHORITIES
        for row, key in self.checked_rows(sheet):
            code = key[0]
            muni = self.municipality(sheet, row, "kommun", row.get("kommun"))
            members = None
            if "medlemskommuner" in row.values:
                members = [self.municipality(sheet, row, "medlemskommuner", c)
                           for c in s.parse_list(row.get("medlemskommuner"))]
                if None in members:
                    members = False
            if muni is None or members is False:
                self.failed[sheet.name].add(key)
                continue
            found = Authority.objects.filter(code=code).first()
            name = row.get("namn")
            number = row.get("organisationsnummer") if "organisationsnummer" in row.values \
                else (found.organisation_number if found else "")
            if found is None:
                if self.run(sheet, row, key, org.create_authority, muni, code=code, name=name,
                            organisation_number=number, members=members or ()):
                    self.note(sheet, row, code, CREATED)
                continue
            if found.municipality_id != muni.pk:
                self.issue(sheet, row, "kommun", _(
                    "An authority stays with its municipality (%(code)s).") % {
                    "code": found.municipality.code})
                self.failed[sheet.name].add(key)
                continue
            before_members = sorted(m.code for m in found.member_municipalities.all())
            after_members = sorted(m.code for m in members) if members is not None \
                else before_members
            diff = self.differences([
                ("namn", found.name, name),
                ("organisationsnummer", found.organisation_number, number),
                ("medlemskommuner", before_members, after_members)])
            if not diff:
                self.note(sheet, row, code, UNCHANGED)
            elif self.run(sheet, row, key, org.update_authority, found, name=name,
                          organisation_number=number, members=members):
                self.note(sheet, row, code, UPDATED, diff)

    def series(self) -> None:
        sheet = s.SERIES
        for row, key in self.checked_rows(sheet):
            code = key[0]
            authority = self.authority(sheet, row, "myndighet", row.get("myndighet"))
            found = DiarySeries.objects.filter(code=code).select_related("authority").first()
            active = self.bool_of(sheet, row, "aktiv", found.active if found else True)
            padding = self.padding(sheet, row, found)
            if authority is None or active is None or padding is False:
                self.failed[sheet.name].add(key)
                continue
            name = row.get("namn")
            fmt = row.get("nummerformat") if "nummerformat" in row.values \
                else (found.number_format if found else "")
            if found is None:
                if self.run(sheet, row, key, registry.create_series, authority, code=code,
                            name=name, active=active, number_format=fmt,
                            number_padding=padding):
                    self.note(sheet, row, code, CREATED)
                continue
            if found.authority_id != authority.pk:
                self.issue(sheet, row, "myndighet", _(
                    "A diary series stays with its authority (%(code)s).") % {
                    "code": found.authority.code})
                self.failed[sheet.name].add(key)
                continue
            diff = self.differences([
                ("namn", found.name, name), ("aktiv", found.active, active),
                ("nummerformat", found.number_format, fmt),
                ("nollutfyllnad", found.number_padding, padding)])
            if not diff:
                self.note(sheet, row, code, UNCHANGED)
            elif self.run(sheet, row, key, registry.update_series, found, name=name,
                          active=active, number_format=fmt, number_padding=padding):
                self.note(sheet, row, code, UPDATED, diff)

    def padding(self, sheet: s.Sheet, row: Row, found: DiarySeries | None):
        """The zero padding: a whole number, empty for the installation's; False: wrong."""
        if "nollutfyllnad" not in row.values:
            return found.number_padding if found else None
        text = row.get("nollutfyllnad")
        if not text:
            return None
        if not text.isdigit():
            self.issue(sheet, row, "nollutfyllnad", _("Write a whole number, e.g. 4."))
            return False
        return int(text)

    def administrations(self) -> None:
        sheet = s.ADMINISTRATIONS
        for row, key in self.checked_rows(sheet):
            muni_code, name = key
            muni = self.municipality(sheet, row, "kommun", muni_code)
            served = None
            if "myndigheter" in row.values:
                served = [self.authority(sheet, row, "myndigheter", c)
                          for c in s.parse_list(row.get("myndigheter"))]
            if muni is None or (served is not None and None in served):
                self.failed[sheet.name].add(key)
                continue
            label = f"{muni_code} / {name}"
            found = Administration.objects.filter(municipality=muni, name=name).first()
            if found is None:
                if self.run(sheet, row, key, org.create_administration, muni, name=name,
                            authorities=served or ()):
                    self.note(sheet, row, label, CREATED)
                continue
            before = sorted(a.code for a in found.authorities.all())
            after = sorted(a.code for a in served) if served is not None else before
            diff = self.differences([("myndigheter", before, after)])
            if not diff:
                self.note(sheet, row, label, UNCHANGED)
            elif self.run(sheet, row, key, org.update_administration, found, authorities=served):
                self.note(sheet, row, label, UPDATED, diff)

    def administration(self, sheet: s.Sheet, row: Row, column: str, muni: Municipality,
                       name: str) -> Administration | None:
        return self.refers(sheet, row, column, s.ADMINISTRATIONS, (muni.code, name),
                           Administration.objects.filter(municipality=muni, name=name)
                           .first(), _("administration"))

    def units(self) -> None:
        sheet = s.UNITS
        for row, key in self.checked_rows(sheet):
            muni_code, adm_name, name = key
            muni = self.municipality(sheet, row, "kommun", muni_code)
            adm = self.administration(sheet, row, "förvaltning", muni, adm_name) if muni \
                else None
            if adm is None:
                self.failed[sheet.name].add(key)
                continue
            label = f"{muni_code} / {adm_name} / {name}"
            if Unit.objects.filter(administration=adm, name=name).exists():
                self.note(sheet, row, label, UNCHANGED)
            elif self.run(sheet, row, key, org.create_unit, adm, name=name):
                self.note(sheet, row, label, CREATED)

    def unit_of(self, row: Row, home: Municipality | None, found: User | None):
        """The user's unit as the row gives it; KEEP when the row does not say; False when
        it names one that cannot be found."""
        sheet = s.USERS
        if "förvaltning" not in row.values and "enhet" not in row.values:
            return _KEEP
        adm_name, unit_name = row.get("förvaltning"), row.get("enhet")
        if not adm_name and not unit_name:
            return None
        if not adm_name or not unit_name:
            self.issue(sheet, row, "enhet" if adm_name else "förvaltning", _(
                "Give both the administration and the unit, or neither."))
            return False
        code = row.get("enhetskommun")
        muni = self.municipality(sheet, row, "enhetskommun", code) if code else home
        if muni is None:
            if not code:
                self.issue(sheet, row, "enhetskommun", _("Give the unit's municipality."))
            return False
        unit = Unit.objects.filter(administration__municipality=muni,
                                   administration__name=adm_name, name=unit_name).first()
        return self.refers(sheet, row, "enhet", s.UNITS, (muni.code, adm_name, unit_name),
                           unit, _("unit")) or False

    def users(self) -> None:
        sheet = s.USERS
        for row, key in self.checked_rows(sheet):
            username = key[0]
            found = User.objects.filter(username=username).first()
            home_code = row.get("hemkommun")
            home = self.municipality(sheet, row, "hemkommun", home_code) if home_code \
                else (found.home_municipality if found else None)
            if found is None and not home_code:
                self.issue(sheet, row, "hemkommun", _("A new user needs a home municipality."))
            active = self.bool_of(sheet, row, "aktiv", found.is_active if found else True)
            unit = self.unit_of(row, home, found)
            if (home_code and home is None) or (found is None and not home_code) \
                    or active is None or unit is False:
                self.failed[sheet.name].add(key)
                continue
            wanted: dict[str, Any] = {"is_active": active}
            for column, field_name in (("förnamn", "first_name"), ("efternamn", "last_name"),
                                       ("epost", "email")):
                if column in row.values:
                    wanted[field_name] = row.get(column)
            if unit is not _KEEP:
                wanted["unit"] = unit
            if found is None:
                if self.run(sheet, row, key, org.create_user, username=username,
                            municipality=home, **wanted):
                    self.note(sheet, row, username, CREATED)
                continue
            if home is not None:
                wanted["home_municipality"] = home
            changed = {name: value for name, value in wanted.items()
                       if getattr(found, name) != value}
            if not changed:
                self.note(sheet, row, username, UNCHANGED)
                continue
            diff = [(_USER_COLUMNS[name], _text(getattr(found, name)), _text(value))
                    for name, value in changed.items()]
            if self.run(sheet, row, key, org.update_user, found, **changed):
                self.note(sheet, row, username, UPDATED, diff)

    def roles(self) -> None:
        sheet = s.ROLES
        if sheet.name not in self.book:
            return
        wanted: dict[str, dict[tuple[str, str], Row]] = {}
        for row, key in self.checked_rows(sheet):
            username, code, word = key
            role = s.parse_role(word)
            if role is None:
                self.issue(sheet, row, "roll", _("Unknown role. The roles are: %(roles)s.")
                           % {"roles": ", ".join(s.ROLE_WORDS.values())})
                continue
            if (code, role) in wanted.get(username, {}):
                continue  # the same role written once as a word and once as a code
            wanted.setdefault(username, {})[(code, role)] = row
        # Every user of the users sheet is named too: no role rows means no roles.
        users_rows = {row.get("användarnamn"): row for row in self.rows(s.USERS)}
        for username in users_rows:
            wanted.setdefault(username, {})
        for username, roles in wanted.items():
            if (username,) in self.failed[s.USERS.name]:
                continue
            user = User.objects.filter(username=username).first()
            if user is None:
                for row in roles.values():
                    self.refers(sheet, row, "användarnamn", s.USERS, (username,), None,
                                _("user"))
                continue
            self.user_roles(user, roles, users_rows.get(username))

    def user_roles(self, user: User, roles: dict[tuple[str, str], Row],
                   user_row: Row | None) -> None:
        sheet = s.ROLES
        held = {(a.code, role): a for a, role in (
            (r.authority, r.role) for r in
            RoleAssignment.objects.filter(user=user).select_related("authority"))}
        for (code, role), row in sorted(roles.items(), key=lambda item: item[1].number):
            label = f"{user.username} / {code} / {s.ROLE_WORDS.get(role, role)}"
            if (code, role) in held:
                self.note(sheet, row, label, UNCHANGED)
                continue
            authority = self.authority(sheet, row, "myndighet", code)
            if authority is not None and self.run(
                    sheet, row, (user.username, code, role),
                    org.assign_role, user, authority, role):
                self.note(sheet, row, label, CREATED)
        for (code, role), authority in sorted(held.items()):
            if (code, role) in roles:
                continue
            label = f"{user.username} / {code} / {s.ROLE_WORDS.get(role, role)}"
            if self.run(s.USERS if user_row else sheet, user_row, (user.username,),
                        org.remove_role, user, authority, role):
                self.report.changes.append(Change(sheet.name, user_row.number if user_row
                                                  else None, label, REMOVED))


_KEEP = object()
_USER_COLUMNS = {"first_name": "förnamn", "last_name": "efternamn", "email": "epost",
                 "unit": "enhet", "home_municipality": "hemkommun", "is_active": "aktiv"}


def _text(value: Any) -> str:
    """A value as the report shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return s.yes_no(value)
    if isinstance(value, list):
        return s.join_list(value)
    if isinstance(value, Unit):
        return f"{value.administration.name} / {value.name}"
    if isinstance(value, Municipality):
        return value.code
    return str(value)
