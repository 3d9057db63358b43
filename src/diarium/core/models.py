"""Idempotency keys: the first response to a create, kept so that a retry is answered
with it instead of creating again. The job model lives in core/jobs/models.py."""

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 over method, path and the parsed request body: a key reused for another
    # request is a conflict, never a replay.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


from diarium.core.jobs.models import Job  # noqa: E402  (registers the job model with core)

__all__ = ["IdempotencyKey", "Job"]
