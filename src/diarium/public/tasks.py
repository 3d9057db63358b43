"""The public projection's repair as a kind of job: `public.rebuild`, run nightly by the
schedule (`public-rebuild` in DIARIUM_JOB_SCHEDULE) and by `diarium public rebuild`. It is
idempotent; in normal operation it finds nothing to change, since every registration
change reaches the projection in its own transaction (receivers.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from diarium.core.jobs.kinds import kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress

REBUILD = "public.rebuild"


@kind(REBUILD, label=_("Rebuild the public diary"))
def rebuild(job: Job, progress: Progress) -> dict:
    from diarium.public import projector, registers

    progress.set(0, 2, "cases")
    cases = projector.rebuild()
    progress.set(1, 2, "registers")
    kept = registers.refresh()
    progress.set(2, 2, "done")
    return {"cases": cases, "registers": kept}
