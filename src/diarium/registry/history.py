"""The audit history of cases and documents, as people read it: who, when, what, and the
values before and after. Events about secret documents the reader may not read show only
what happened, never the values."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from diarium.audit.models import AuditEvent
from diarium.organisation.models import User
from diarium.registry.forms import STATUS_LABELS
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
    "document.migrated": _("Document brought in from the former diarium"),
    "document.record_type_changed": _("Record type changed"),
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


def rows(
    events: Iterable[AuditEvent], documents: dict[str, Document], readable: set[str]
) -> list[Row]:
    """Rows for events in their order. documents: the documents the reader can see, by id;
    readable: the ids of those whose content the reader may read. Events about a document
    the reader cannot see are left out; about one they cannot read, shown without values."""
    events = [e for e in events if e.object_type != DOCUMENT or e.object_id in documents]
    names = _names(events)
    result = []
    for event in events:
        doc = documents.get(event.object_id) if event.object_type == DOCUMENT else None
        hidden = doc is not None and event.object_id not in readable
        result.append(Row(
            when=event.occurred_at,
            who=event.actor_name or str(_("the system")),
            what=str(ACTIONS.get(event.action, event.action)),
            subject=doc.document_number if doc else "",
            changes=[] if hidden else _changes(event, names),
        ))
    return result


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
    parties = Party.objects.filter(pk__in=ids("party"))
    return {str(obj.pk): str(obj) for obj in [*users, *parties]}


def _changes(event: AuditEvent, names: dict[str, str]) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    keys = [k for k in FIELDS if k in before or k in after]
    codes = DOCUMENT_CODES if event.object_type == DOCUMENT else CASE_CODES
    changes = [
        Change(str(FIELDS[k]), _show(k, before.get(k), names, codes),
               _show(k, after.get(k), names, codes))
        for k in keys
    ]
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
        return ", ".join(str(code) for code in value)
    if key == "kind":
        return str(HoldKind(value).label) if value in HoldKind.values else str(value)
    if key in ("responsible_officer", "party"):
        return names.get(str(value), str(value))
    if key in ("status", "direction") and isinstance(value, str):
        code = LEGACY_CODES.get(value, value)  # events from before the English codes
        return str(codes.get(code, value))
    return str(value)
