"""The organisation's background work: the directory sync as a kind of job, for the
schedule (`directory-sync` in DIARIUM_JOB_SCHEDULE, principal system:directory) and for
administrators who start it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from diarium.core import actors
from diarium.core.jobs.kinds import JobError, JobFailed, kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress
from diarium.organisation import directory, twofactor

DIRECTORY_SYNC = "organisation.directory_sync"


@kind(DIRECTORY_SYNC, label=_("Directory sync"), may_view=twofactor.is_administrator)
def directory_sync(job: Job, progress: Progress) -> dict:
    actor = job.started_by if job.started_by_id else actors.principal(job.principal)
    progress.set(0, 1, "read the directory")
    try:
        report = directory.sync(actor, dry_run=bool(job.params.get("dry_run")),
                                force=bool(job.params.get("force")))
    except directory.DirectoryError as exc:
        # An unreachable directory may answer next time; too many departures will not.
        if "DEACTIVATE_SHARE" in str(exc):
            raise JobFailed(str(exc)) from exc
        raise JobError(str(exc)) from exc
    progress.set(1, 1, "done")
    return report.summary()
