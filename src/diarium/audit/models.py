"""The append-only, hash-chained event log.

Events are chained per authority (plus one chain for events that belong to none), so that
writes in one board never wait on the audit log of another. Within a chain, the chain
head row is locked for the rest of the writing transaction: events get consecutive
sequence numbers in commit order and each carries the SHA-256 of the one before."""

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class ChainHead(models.Model):
    chain = models.CharField(max_length=64, primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"{self.chain}@{self.last_seq}"


class AuditEvent(models.Model):
    chain = models.CharField(max_length=64)
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    # The case an event belongs to, so a case page can show its history including its
    # documents' events with one indexed query.
    case_id = models.UUIDField(null=True, db_index=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="uniq_chain_seq"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}:{self.object_id}"
