"""The case's audit history as metadata/other/audit-history.json: every event of the case
and its documents, with the fields its hash covers, so that an archive can recompute each
event's SHA-256 (see diarium.audit.services.event_hash and docs/erms-export.md)."""

from __future__ import annotations

import json

from diarium.audit.models import AuditEvent
from diarium.audit.services import event_payload

from .source import CaseSnapshot

FORMAT = "diarium-audit-history"
FORMAT_VERSION = 1


def _event(event: AuditEvent) -> dict:
    # The hashed payload plus the hash, so the archive can recheck each link of the chain.
    return event_payload(event) | {"hash": event.hash}


def audit_history_json(snap: CaseSnapshot) -> bytes:
    case = snap.case
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "case": {"id": str(case.pk), "diary_number": case.diary_number},
        "hash": "sha256 over the JSON of every field but 'hash', keys sorted, separators "
                "',' and ':', UTF-8 (not ASCII-escaped); 'prev_hash' links to the event "
                "before it in the same chain",
        "events": [_event(e) for e in snap.events],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False).encode() + b"\n"
