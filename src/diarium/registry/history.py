"""The audit history of cases and documents, as people read it: who, when, what, and the
values before and after. Events about secret documents the reader may not read show only
what happened, never the values."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from diarium.audit.models import AuditEvent
from diarium.organisation.models import Municipality, Unit, User
from diarium.registry.forms import STATUS_LABELS
from diarium.registry.identity import mask_identity_numbers
from diarium.registry.models import (
    LEGACY_CODES,
    Direction,
    Document,
    DocumentStatus,
    HoldKind,
    Party,
)

ACTIONS = {
    "case.opened": _("Case opened"),
    "case.updated": _("Case changed"),
    "case.reassigned": _("Case reassigned"),
    "case.follow_up_set": _("Follow-up date set"),
    "case.closed": _("Case closed"),
    "case.reopened": _("Case reopened"),
    "case.dormant": _("Case set dormant"),
    "case.voided": _("Case voided"),
    "case.related": _("Related case added"),
    "case.access_granted": _("Access to secret content granted"),
    "case.party_added": _("Party added"),
    "case.migrated": _("Case brought in from the former diarium"),
    "document.registered": _("Document registered"),
    "document.voided": _("Document voided"),
    "document.drafted": _("Draft created"),
    "document.version_added": _("New version"),
    "document.checked_out": _("Checked out"),
    "document.checked_in": _("Checked in"),
    "document.lock_broken": _("Lock broken by an administrator"),
    "document.finalised": _("Made final (fastställd)"),
    "document.final_replaced": _("New final version, with a reason"),
    "document.migrated": _("Document brought in from the former diarium"),
    "document.record_type_changed": _("Record type changed"),
    "inbox.placed": _("Registered from the inbox"),
    "hold.placed": _("Hold placed"),
    "hold.released": _("Hold released"),
    "secret.read": _("Secret content read"),
}

FIELDS = {
    "diary_number": _("Diary number"),
    "number": _("Number"),
    "title": _("Title or description"),
    "public_title": _("Public title"),
    "classification_code": _("Classification"),
    "responsible_officer": _("Responsible officer"),
    "responsible_unit": _("Unit"),
    "municipality": _("Municipality"),
    "status": _("Status"),
    "follow_up_date": _("Follow-up date"),
    "secrecy_provision": _("Secrecy provision"),
    "withhold": _("Withheld from the public"),
    "closing_note": _("Closing note"),
    "void_reason": _("Reason for voiding"),
    "direction": _("Direction"),
    "record_type": _("Record type"),
    "plan_warnings": _("Registered despite the plan's warnings"),
    "kind": _("Kind"),
    "reason": _("Reason"),
    "reference": _("Reference"),
    "release_note": _("Note on release"),
    "document_date": _("Document date"),
    "sender_recipient": _("Sender or recipient"),
    "party": _("Party"),
    "files": _("Files"),
    "user": _("User"),
    "role": _("Role"),
    "migrated_from": _("Brought in from"),
    "parties": _("Parties"),
    "opened_at": _("Opened"),
    "closed_at": _("Closed"),
    "voided_at": _("Voided"),
    "registered_at": _("Registered"),
}

# The plan's warnings a registration went ahead despite (codes in document.registered).
PLAN_WARNINGS = {
    "kept_in_order": _("kept in order elsewhere"),
    "not_registered": _("not registered"),
    "wrong_series": _("another diary series"),
    "other_system": _("another IT system"),
    "direction": _("a record type for the other direction"),
}
READ = "secret.read"
# Which views a read event names, in words.
VIEWS = {
    "registry:case": _("the case page"),
    "registry:case_edit": _("the case's edit page"),
    "registry:document": _("the document page"),
    "registry:file": _("a file download"),
    "registry:search": _("the search"),
    "web:home": _("My cases"),
    "registry:worklist": _("a work list"),
    "registry:worklist_export": _("a work list export"),
}

DOCUMENT = Document._meta.label_lower
EMPTY = "–"
WITHHELD = (_("title"), _("parties"), _("files"))
# A case and a document share codes ("voided") but not labels (makulerat, makulerad).
CASE_CODES = {k.value: v for k, v in STATUS_LABELS.items()}
DOCUMENT_CODES = {
    **{c.value: c.label for c in Direction},
    **{c.value: c.label for c in DocumentStatus},
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Row:
    when: dt.datetime
    who: str
    what: str
    subject: str
    changes: list[Change] = field(default_factory=list)
    is_read: bool = False


def rows(
    events: Iterable[AuditEvent], documents: dict[str, Document], readable: set[str],
    full_identity: bool = True,
) -> list[Row]:
    """Rows for events in their order. documents: the documents the reader can see, by id;
    readable: the ids of those whose content the reader may read. Events about a document
    the reader cannot see are left out; about one they cannot read, shown without values."""
    events = [e for e in events if e.object_type != DOCUMENT or e.object_id in documents]
    names = _names(events)
    people = _people(events)
    result = []
    for event in events:
        doc = documents.get(event.object_id) if event.object_type == DOCUMENT else None
        hidden = doc is not None and event.object_id not in readable
        what = str(ACTIONS.get(event.action, event.action))
        if event.action == READ:
            view = (event.after or {}).get("view", "")
            where = VIEWS.get(view)
            what = f"{what} ({where})" if where else what
        result.append(Row(
            when=event.occurred_at,
            who=people.get(event.actor_id) or event.actor_name or str(_("the system")),
            what=what,
            subject=doc.document_number if doc else "",
            changes=[] if hidden or event.action == READ
            else _changes(event, names, full_identity),
            is_read=event.action == READ,
        ))
    return result


def seen_events(events: QuerySet[AuditEvent], documents: Iterable[str]
                ) -> QuerySet[AuditEvent]:
    """A case's events as the reader may see them: none about a document they cannot
    see (rows() leaves the same out), in the database, so that they can be counted and
    paged without being read."""
    return events.exclude(Q(object_type=DOCUMENT) & ~Q(object_id__in=list(documents)))


def tab_counts(events: QuerySet[AuditEvent]) -> dict[str, int]:
    """How many of the events are changes and how many reads of secret content."""
    return events.aggregate(changes=Count("id", filter=~Q(action=READ)),
                            reads=Count("id", filter=Q(action=READ)))


@dataclass
class Split:
    """A history in two parts: what changed (shown first) and who read secret content."""

    changes: list[Row]
    reads: list[Row]


def split(history: list[Row]) -> Split:
    return Split([r for r in history if not r.is_read], [r for r in history if r.is_read])


def _people(events: list[AuditEvent]) -> dict:
    """The actors' names (not their usernames), one query."""
    known = {e.actor_id: str(e.actor) for e in events
             if e.actor_id and "actor" in e._state.fields_cache}
    missing = {e.actor_id for e in events if e.actor_id and e.actor_id not in known}
    if missing:
        known |= {u.pk: str(u) for u in User.objects.filter(pk__in=missing)}
    return known


def _names(events: list[AuditEvent]) -> dict[str, str]:
    """Names for the user and party ids the events hold."""

    def ids(key: str) -> set:
        return {
            values[key]
            for event in events
            for values in (event.before or {}, event.after or {})
            if values.get(key)
        }

    users = User.objects.filter(pk__in=ids("responsible_officer"))
    by_username = {u.username: str(u) for u in User.objects.filter(username__in=ids("user"))}
    parties = Party.objects.filter(pk__in=ids("party"))
    units = Unit.objects.filter(pk__in=ids("responsible_unit"))
    municipalities = Municipality.objects.filter(pk__in=ids("municipality"))
    return by_username | {
        str(obj.pk): str(obj) for obj in [*users, *parties, *units, *municipalities]}


def _changes(event: AuditEvent, names: dict[str, str], full_identity: bool) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    keys = [k for k in FIELDS if k in before or k in after]
    codes = DOCUMENT_CODES if event.object_type == DOCUMENT else CASE_CODES

    def show(key: str, value) -> str:
        text = _show(key, value, names, codes)
        return text if full_identity else mask_identity_numbers(text)

    changes = [Change(str(FIELDS[k]), show(k, before.get(k)), show(k, after.get(k)))
               for k in keys]
    return [c for c in changes if (c.before, c.after) != (EMPTY, EMPTY)]


def _show(key: str, value, names: dict[str, str], codes: dict) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if key == "withhold":
        shown = [str(label) for label, on in zip(WITHHELD, value, strict=False) if on]
        return ", ".join(shown) or EMPTY
    if key == "files":
        return ", ".join(str(pair[0]) for pair in value)
    if key == "parties":  # [name, role] pairs
        return ", ".join(f"{name} ({role})" if role else str(name) for name, role in value)
    if key == "plan_warnings":
        return ", ".join(str(PLAN_WARNINGS.get(code, code)) for code in value)
    if key == "kind":
        return str(HoldKind(value).label) if value in HoldKind.values else str(value)
    if key in ("responsible_officer", "party", "responsible_unit", "municipality", "user"):
        return names.get(str(value), str(value))
    if key in ("status", "direction") and isinstance(value, str):
        code = LEGACY_CODES.get(value, value)  # events from before the English codes
        return str(codes.get(code, value))
    return str(value)
