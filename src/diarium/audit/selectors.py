"""Reading and verifying the audit log."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from diarium.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from diarium.audit.services import event_hash


@dataclass(frozen=True)
class Break:
    event_id: int | None
    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        ident = f"event {self.event_id}" if self.event_id else "chain end"
        return f"{ident} (chain {self.chain}, seq {self.seq}): {self.reason}"


def _verify_chain(chain: str) -> Break | None:
    prev_hash, expected_seq = GENESIS_HASH, 1
    events = AuditEvent.objects.filter(chain=chain).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return Break(event.id, chain, event.seq, f"sequence gap: expected {expected_seq}")
        if event.prev_hash != prev_hash:
            return Break(event.id, chain, event.seq, "previous-hash link does not match")
        if event_hash(event) != event.hash:
            return Break(event.id, chain, event.seq, "content does not match its hash")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    head = ChainHead.objects.filter(chain=chain).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return Break(None, chain, head.last_seq, "events missing at the end of the chain")
    return None


def verify_chains() -> Iterator[tuple[str, Break | None]]:
    """Yield (chain, first break or None) for every chain."""
    chains = set(ChainHead.objects.values_list("chain", flat=True))
    chains |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    for chain in sorted(chains):
        yield chain, _verify_chain(chain)


def history_for(object_type: str, object_id) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))


def history_for_case(case_id) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case_id=case_id).select_related("actor")
