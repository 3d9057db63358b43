"""Who acts in a service call: a signed-in user or a named system principal, never nobody.

Every service takes an actor and checks it before it writes anything. A system principal
(`system:fixity`, `system:ingest`, …) is the actor of work no person started: background
workers, the command line without --user, the demo loader, data migrations. It holds the
permissions it declares here and no others; it holds no role, and it is never a person,
so a rule that needs a person (the four-eyes rule on disposal) refuses it whatever it
declares. The audit log writes a principal's name where it writes a user's username
(`actor_name`); usernames cannot contain ":", so the two never collide.

`require` is what services call: a principal passes when it declares the permission, a
user when the service's own role check for the authority holds (`user_may`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, TypeAlias

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

PREFIX = "system:"

# Every permission a principal can declare, with what it allows. Services may check
# further names (e.g. "registry.register") that no principal declares: only users hold them.
PERMISSIONS = {
    "organisation.manage": "create and change authorities, units, diary series, users and "
                           "role assignments",
    "organisation.token": "issue a user's API token",
    "organisation.directory": "create and update users, deactivate those who left the "
                              "directory and set their roles from the municipality's "
                              "identity provider or directory",
    "plan.edit": "change document management plans, the systems register and checklists",
    "registry.receive_mail": "put incoming mail in an authority's inbox",
    "registry.register": "open cases and register documents in an authority's diary",
    "registry.hold": "place and release holds on records (an open request for a document)",
    "registry.store_files": "store file content for incoming mail or a registration",
    "registry.templates": "add and retire document templates (mallar)",
    "registry.dispose": "mark registered documents disposed of under an approved list",
    "registry.migrate": "bring cases and documents in from a former diarium with their "
                        "original numbers",
    "archive.manage": "create archive creators and submission agreements",
    "archive.ingest": "ingest submission packages",
    "archive.transfer": "export closed cases as packages and ingest them",
    "archive.fixity": "verify the stored archive copies and repair damaged ones",
    "disposal.execute": "execute an approved disposal list",
    "audit.checkpoint": "sign the audit chains' heads and store the checkpoint",
    "registry.remind": "e-mail responsible officers their reminders (follow-up dates, "
                       "cases open six months)",
    "registry.manage_case": "change a case's state on the registry's behalf (close a case "
                            "whose board decision has become final)",
}


class MissingActor(PermissionDenied):
    """A service was called without an actor. Refused like a permission: there is no
    "system by default"."""


@dataclasses.dataclass(frozen=True)
class SystemPrincipal:
    """A named actor that is not a person, with the permissions it declares."""

    name: str
    permissions: frozenset[str]
    description: str = ""

    # What code written for users reads: a principal has not signed in, holds no role,
    # is no superuser and has no row in the user table (foreign keys to users stay empty).
    is_authenticated: ClassVar[bool] = False
    is_anonymous: ClassVar[bool] = False
    is_superuser: ClassVar[bool] = False
    pk: ClassVar[None] = None

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


# A user (diarium.organisation.models.User, which this bottom layer cannot import) or a
# system principal.
Actor: TypeAlias = Any

_KNOWN: dict[str, SystemPrincipal] = {}


def declare(name: str, permissions: set[str], description: str) -> SystemPrincipal:
    """Register a principal. Names are unique and start with "system:"."""
    if not name.startswith(PREFIX) or name in _KNOWN:
        raise ValueError(f"a principal's name starts with {PREFIX!r} and is unique: {name!r}")
    unknown = set(permissions) - set(PERMISSIONS)
    if unknown:
        raise ValueError(f"{name}: unknown permissions {sorted(unknown)}")
    found = SystemPrincipal(name, frozenset(permissions), description)
    _KNOWN[name] = found
    return found


def principal(name: str) -> SystemPrincipal:
    """The registered principal of that name (LookupError when there is none)."""
    try:
        return _KNOWN[name]
    except KeyError:
        raise LookupError(f"no system principal {name!r}") from None


def principals() -> list[SystemPrincipal]:
    return sorted(_KNOWN.values(), key=lambda p: p.name)


DEMO = declare("system:demo", {
    "organisation.manage", "plan.edit", "archive.manage", "registry.receive_mail",
    "registry.store_files", "registry.templates"},
    "The demo loader (`diarium demo`).")
OPERATOR = declare("system:operator", {
    "organisation.manage", "organisation.token", "plan.edit", "archive.manage"},
    "The operator's commands run on the server without --user: plans, submission "
    "agreements, API tokens, benchmark data.")
MIGRATION = declare("system:migration", set(),
                    "Data migrations: the author of the audit events of their own changes.")
MAIL = declare("system:mail", {"registry.receive_mail", "registry.store_files"},
               "The mail gateway and e-services that deliver to an authority's inbox.")
INGEST = declare("system:ingest", {"archive.ingest"},
                 "Ingest of submission packages without a user (`diarium archive ingest`).")
EXPORT = declare("system:export", {"archive.transfer", "archive.ingest"},
                 "Export of closed cases to the e-archive (`diarium archive export-cases "
                 "--ingest`).")
FIXITY = declare("system:fixity", {"archive.fixity"},
                 "The fixity audit and its repairs (`diarium archive verify`).")
DISPOSAL = declare("system:disposal", {"disposal.execute", "registry.dispose"},
                   "Execution of approved disposal lists (`diarium archive dispose`). It never "
                   "draws up or approves a list: those are two persons' decisions.")
DIARY_MIGRATION = declare(
    "system:diary-migration", {"registry.migrate", "registry.store_files"},
    "Bringing a former diarium in (`diarium migrate-diary import` without --user).")


SIGNIN = declare("system:signin", {"organisation.directory"},
                 "Single sign-on (OpenID Connect, SAML): creates a user at their first "
                 "login when allowed, updates their name and e-mail and sets the roles "
                 "their groups give.")
DIRECTORY = declare("system:directory", {"organisation.directory"},
                    "The directory sync (`diarium directory sync`, the `directory-sync` "
                    "schedule): creates, updates and deactivates users from LDAP.")


PUBLIC_REQUESTS = declare(
    "system:public-requests", {"registry.register", "registry.hold"},
    "Requests for official documents sent by the public (/insyn/begar/): registers each "
    "in its own series or as a case in the authority's request series, and holds the "
    "documents asked for from disposal until the request is answered.")


MEMBER_LINK = declare("system:member-link", set(),
                      "A board member reading their meetings through their personal link "
                      "(no login): the author of the audit event of each use and of the "
                      "member's private notes (board/views/member_link.py).")


AUDIT = declare("system:audit", {"audit.checkpoint"},
                "Signed checkpoints of the audit chains (the daily schedule, after each "
                "disposal run, `diarium audit checkpoint`).")

REMINDERS = declare("system:reminders", {"registry.remind"},
                    "The daily e-mail reminders to responsible officers (the "
                    "`case-reminders` schedule): follow-up dates and cases open six months.")


def check_present(actor: Actor) -> None:
    """Refuse a missing actor (MissingActor)."""
    if actor is None:
        raise MissingActor(_("No actor: every change is made by a user or a named system "
                             "principal."))


def check(actor: Actor) -> None:
    """Refuse a missing actor, a user who has not signed in and an unknown principal."""
    check_present(actor)
    if isinstance(actor, SystemPrincipal):
        if _KNOWN.get(actor.name) is not actor:
            raise PermissionDenied(_("Unknown system principal %(name)s.") % {
                "name": actor.name})
        return
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))


def may(actor: Actor, permission: str, user_may: Callable[[Any], bool]) -> bool:
    """Whether the actor may: a principal that declares the permission, a user for whom
    user_may (the service's role check) holds. A missing actor raises."""
    check(actor)
    if isinstance(actor, SystemPrincipal):
        return permission in actor.permissions
    return bool(user_may(actor))


def require(actor: Actor, permission: str, user_may: Callable[[Any], bool],
            message: str | None = None) -> None:
    """Raise PermissionDenied (MissingActor without an actor) unless the actor may."""
    if not may(actor, permission, user_may):
        raise PermissionDenied(message or _("You lack the permission needed for this."))


def require_person(actor: Actor, message: str) -> None:
    """Refuse a system principal (and a missing actor): the rule needs a person."""
    check(actor)
    if isinstance(actor, SystemPrincipal):
        raise PermissionDenied(message)


def is_principal(actor: Actor) -> bool:
    return isinstance(actor, SystemPrincipal)


def user_of(actor: Actor) -> Any:
    """The user to store in a "by" column (created_by, executed_by): None for a principal."""
    if actor is None or isinstance(actor, SystemPrincipal):
        return None
    return actor if actor.is_authenticated else None


def name_of(actor: Actor) -> str:
    """The name the audit log and receipts record: a username or a principal's name."""
    if actor is None:
        return ""
    if isinstance(actor, SystemPrincipal):
        return actor.name
    return actor.get_username() if actor.is_authenticated else ""


BOARD = declare("system:board", {"registry.manage_case"},
                "Closes cases whose board decision has become final after the appeal "
                "period, sends the justering alerts and records notices taken down (the "
                "`board-daily` schedule, board/tasks.py).")
