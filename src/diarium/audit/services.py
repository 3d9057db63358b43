"""Writing audit events. Called inside the transaction of the change it records."""

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from diarium.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from diarium.core import actors, rows

GLOBAL_CHAIN = "global"


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json_value(value: Any) -> Any:
    """Normalise a value to what the JSON column stores, so hashes are reproducible."""
    return json.loads(json.dumps(value, default=_default))


def event_payload(event: AuditEvent) -> dict:
    """An event's content and its predecessor's hash: what its own hash is computed over."""
    return {
        "chain": event.chain,
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_id": str(event.case_id) if event.case_id else None,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 over an event's payload."""
    canonical = json.dumps(
        event_payload(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _locked_head(chain: str) -> ChainHead:
    """The chain's head, locked to the commit. It is made (INSERT … ON CONFLICT DO
    NOTHING, so two first writers cannot both make it) only when the lock finds none: one
    round trip fewer for every event after a chain's first. Plain SQL: the ORM's building
    of this one-row read cost more than the read (opening a case holds the series' number
    meanwhile, docs/performance.md section 2)."""
    quote = connection.ops.quote_name
    sql = (f"SELECT {quote('last_seq')}, {quote('last_hash')} "  # noqa: S608 (our names)
           f"FROM {quote(ChainHead._meta.db_table)} WHERE {quote('chain')} = %s"
           + (" FOR UPDATE" if connection.features.has_select_for_update else ""))
    with connection.cursor() as cursor:
        cursor.execute(sql, [chain])
        row = cursor.fetchone()
        if row is None:
            ChainHead.objects.bulk_create(
                [ChainHead(chain=chain, last_seq=0, last_hash=GENESIS_HASH)],
                ignore_conflicts=True)
            cursor.execute(sql, [chain])
            row = cursor.fetchone()
    head = ChainHead(chain=chain, last_seq=row[0], last_hash=row[1])
    head._state.adding, head._state.db = False, connection.alias
    return head


def record(
    *,
    actor,
    action: str,
    obj: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    chain: str | None = None,
    case_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append an event to its chain. Must run inside the transaction of the change.
    actor: a user or a system principal (diarium.core.actors); the event keeps the user
    (actor) and the name of either (actor_name), both under the event's hash."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the transaction they record")
    actors.check(actor)
    head = _locked_head(chain or GLOBAL_CHAIN)
    event = AuditEvent(
        chain=head.chain,
        seq=head.last_seq + 1,
        occurred_at=timezone.now(),
        actor=actors.user_of(actor),
        actor_name=actors.name_of(actor),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else obj.pk),
        case_id=case_id,
        before=to_json_value(before) if before is not None else None,
        after=to_json_value(after) if after is not None else None,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    _append(event, head)
    return event


def _append(event: AuditEvent, head: ChainHead) -> None:
    """Write the event and move its chain's head to it, in plain SQL from the ORM's own
    INSERT compiled once (core/rows; a model save's machinery cost more than the two
    statements; opening a case holds the series' number meanwhile, docs/performance.md
    section 2). On PostgreSQL one statement, the event's INSERT a CTE of the head's
    UPDATE: a round trip fewer while the head is locked. On SQLite, which runs no DML in a
    CTE, two statements, which cost no round trip there."""
    head.last_seq, head.last_hash = event.seq, event.hash
    insert, params = rows.insert_sql(event)
    quote = connection.ops.quote_name
    pk = quote(AuditEvent._meta.pk.column)
    move = (f"UPDATE {quote(ChainHead._meta.db_table)} SET {quote('last_seq')} = %s, "  # noqa: S608
            f"{quote('last_hash')} = %s WHERE {quote('chain')} = %s")
    moved = [head.last_seq, head.last_hash, head.chain]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH e AS ({insert} RETURNING {pk}) {move} "  # noqa: S608
                           f"RETURNING (SELECT {pk} FROM e)", [*params, *moved])
            row = cursor.fetchone()
        else:
            cursor.execute(f"{insert} RETURNING {pk}", params)
            row = cursor.fetchone()
            cursor.execute(move, moved)
            if cursor.rowcount != 1:
                row = None
    if row is None:  # the head was locked by this transaction: it cannot have gone
        raise RuntimeError(f"audit chain head {head.chain} missing")
    event.pk = row[0]
    event._state.adding, event._state.db = False, connection.alias


@dataclass
class Pending:
    """One event for record_many: the same fields as record's."""

    action: str
    obj: Any = None
    object_type: str | None = None
    object_id: Any = None
    chain: str | None = None
    case_id: Any = None
    before: dict | None = None
    after: dict | None = None


def record_many(*, actor, events: Iterable[Pending], batch_size: int = 1000
                ) -> list[AuditEvent]:
    """Append many events at once, as record would one by one: the same chains, sequence
    numbers and hashes, each chain's head locked for the rest of the transaction (heads
    are locked in the order of their names, so two such writers never deadlock). For bulk
    work such as bringing a former diarium in; one insert per batch instead of per event."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the transaction they record")
    actors.check(actor)
    pending = list(events)
    heads = {chain: _locked_head(chain) for chain in
             sorted({p.chain or GLOBAL_CHAIN for p in pending})}
    now = timezone.now()
    user, name = actors.user_of(actor), actors.name_of(actor)
    made = []
    for item in pending:
        head = heads[item.chain or GLOBAL_CHAIN]
        obj = item.obj
        event = AuditEvent(
            chain=head.chain,
            seq=head.last_seq + 1,
            occurred_at=now,
            actor=user,
            actor_name=name,
            action=item.action,
            object_type=item.object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=str(item.object_id if item.object_id is not None else obj.pk),
            case_id=item.case_id,
            before=to_json_value(item.before) if item.before is not None else None,
            after=to_json_value(item.after) if item.after is not None else None,
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        head.last_seq, head.last_hash = event.seq, event.hash
        made.append(event)
    AuditEvent.objects.bulk_create(made, batch_size=batch_size)
    for head in heads.values():
        head.save(update_fields=["last_seq", "last_hash"])
    return made


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
