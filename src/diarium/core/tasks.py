"""The one task that goes through Django's task interface (django-tasks): run a job.

Every job is delivered by a `run_job` task on the database backend; `diarium worker`
claims the task and the job's lease together (core/jobs/worker.py), and the job row keeps
the attempts and the outcome (core/jobs/runner.py). A delivery of a job that is already
finished or running elsewhere does nothing, so a task run twice never runs a job twice."""

import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from diarium.core.jobs import runner
from diarium.core.jobs.kinds import JobError, kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress


@task()
def run_job(job_id: str) -> str:
    job = runner.run(job_id)
    return job.state if job is not None else "skipped"


# -- the probe: a job that only proves the workers work ------------------------------------

PROBE_DIR = "probe"


def _probe_file(name: str) -> Path:
    """A file in <data dir>/probe (never anywhere else): the probe's notes."""
    folder = Path(settings.DATA_DIR) / PROBE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder / Path(str(name)).name


@kind("core.probe", label=_("Worker probe"))
def probe(job: Job, progress: Progress) -> dict:
    """Checks a worker end to end: counts `steps` (sleeping `sleep` seconds each), notes
    its start and end in <data dir>/probe/<record> and fails while <data dir>/probe/
    <fail_while> exists. Operators queue it to see workers answer; tests and benchmarks
    use it to count how often each job ran."""
    params = job.params
    record = _probe_file(params["record"]) if params.get("record") else None
    if record is not None:
        _note(record, f"start {job.pk} {job.attempts}")
    if params.get("fail_while") and _probe_file(params["fail_while"]).exists():
        raise JobError(f"failing while {params['fail_while']} exists")
    steps = int(params.get("steps") or 0)
    progress.set(0, steps, "probe")
    for step in range(1, steps + 1):
        time.sleep(float(params.get("sleep") or 0))
        progress.set(step)
    if record is not None:
        _note(record, f"done {job.pk}")
    return {"steps": steps}


def _note(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as out:  # O_APPEND: whole lines from any process
        out.write(line + "\n")
