"""The audit log's background work: a signed checkpoint of every chain head (docs/audit.md),
taken by the schedule (daily by default) and after every disposal run. Administrators see
these jobs (core/jobs/access.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from diarium.audit.checkpoints import create_checkpoint
from diarium.core.jobs.kinds import kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress
from diarium.core.jobs.services import start

CHECKPOINT = "audit.checkpoint"


@kind(CHECKPOINT, label=_("Audit checkpoint"))
def checkpoint(job: Job, progress: Progress) -> dict:
    made = create_checkpoint(trigger=job.params.get("trigger", "schedule"))
    return {"checkpoint": made.name, "chains": len(made.body["chains"]),
            "key_id": made.body["key_id"], "timestamped": made.timestamp is not None}


def queue_checkpoint(trigger: str) -> Job:
    """A checkpoint after the work that commits first (a disposal run)."""
    return start(CHECKPOINT, principal="system:audit", params={"trigger": trigger})
