"""The visibility policy's interface: what a viewer may see of a record, and the audit of
the secret content a page shows.

Rule kept: whether a person may see a record is decided once. For a viewer and a case or
document the policy answers four questions (a `Sight`): may they see that it exists, its
public fields, its content, its files; and whether they may add to a case. The same rules
are queryset filters (`filter_cases`, `filter_documents`, `filter_parties`) that agree with
the per-record answers (tests/permissions/test_visibility_property.py proves it over
generated users, roles, cases, markings and access groups).

Presenters (pages, API serializers, downloads, exports, search hits, the archive's pages)
get their decisions through a `Page` of the policy: `with policy.page("view-name") as
page`. Every secret record whose content the page is told to show is noted, and when the
page is done the policy writes the `secret.read` audit event itself: one event per page
view (per audit chain), listing what was shown. Presenters never write it.

Apps above the registry (the archive, the board, the public portal) use `policy_for(user)`
from here and never import the registry's internals; the registry registers its
implementation in its AppConfig.ready(). The public portal asks for
`policy_for(AnonymousUser(), Projection.PUBLIC)`: the same object answering with the public
projection (registrations and public fields, never content)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import QuerySet

SIGHT_FIELDS = ("exists", "public_fields", "content", "files")


class Projection(enum.StrEnum):
    """Whose view of the records: staff (roles decide) or the public (the public
    projection: registrations and their public fields, never secret content)."""

    STAFF = "staff"
    PUBLIC = "public"


@dataclass(frozen=True)
class Sight:
    """What a viewer may see of one record. Each level implies the ones before it,
    except that files may be withheld where content is not (a disposed document)."""

    exists: bool = False
    public_fields: bool = False
    content: bool = False
    files: bool = False


NOTHING = Sight()
STUB = Sight(exists=True)
PUBLIC = Sight(exists=True, public_fields=True)


@dataclass(frozen=True)
class Shown:
    """One secret record whose content a page showed: what the audit event lists.
    chain is the audit chain of the record's authority (`authority:<id>`)."""

    chain: str
    object_type: str
    object_id: str
    case_id: uuid.UUID | None = None


# Writes the audit events of one page view: (user, view name, what it showed).
AuditWriter = Callable[[Any, str, list[Shown]], None]


@dataclass
class Page:
    """One page view (or one API response, download or export). Presenters note the
    secret records it shows; on leaving the `with` block without an error the policy
    writes one `secret.read` event per audit chain. A page that fails shows nothing,
    so nothing is audited."""

    user: Any
    view: str
    write: AuditWriter
    shown: dict[tuple[str, str], Shown] = field(default_factory=dict)

    def note(self, items: Iterable[Shown]) -> None:
        for item in items:
            self.shown.setdefault((item.object_type, item.object_id), item)

    def __enter__(self) -> Page:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()

    def close(self) -> None:
        """Write the audit event(s) now (for callers that cannot use `with`)."""
        items, self.shown = list(self.shown.values()), {}
        if items:
            self.write(self.user, self.view, items)


class Policy(Protocol):
    """One viewer's visibility decisions. Records are the registry's cases and
    documents; parties are visible through them."""

    user: Any
    projection: Projection

    def case(self, case: Any) -> Sight: ...

    def document(self, document: Any) -> Sight: ...

    def party_visible(self, party: Any) -> bool: ...

    def may_add_to(self, case: Any) -> bool: ...

    def filter_cases(self, qs: QuerySet, sight: str = "exists") -> QuerySet: ...

    def filter_documents(self, qs: QuerySet, sight: str = "exists") -> QuerySet: ...

    def filter_parties(self, qs: QuerySet) -> QuerySet: ...

    def page(self, view: str) -> Page: ...


PolicyFactory = Callable[[Any, Projection], Policy]
_factory: PolicyFactory | None = None


def register(factory: PolicyFactory) -> None:
    """Install the implementation (the registry does, in its AppConfig.ready())."""
    global _factory
    _factory = factory


def policy_for(user: Any, projection: Projection = Projection.STAFF) -> Policy:
    """The viewer's policy, cached on the user object for the request's lifetime (like
    the viewer's roles)."""
    if _factory is None:
        raise RuntimeError("no visibility policy is registered")
    cache = getattr(user, "_diarium_visibility", None)
    if cache is None:
        cache = {}
        try:
            user._diarium_visibility = cache
        except AttributeError:  # an object that takes no attributes: no cache
            return _factory(user, projection)
    if projection not in cache:
        cache[projection] = _factory(user, projection)
    return cache[projection]
