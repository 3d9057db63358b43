"""The one task that goes through Django's task interface (django-tasks): run a job.

Every job is delivered by a `run_job` task on the database backend; `diarium worker`
claims the task and the job's lease together (core/jobs/worker.py), and the job row keeps
the attempts and the outcome (core/jobs/runner.py). A delivery of a job that is already
finished or running elsewhere does nothing, so a task run twice never runs a job twice."""

from django_tasks import task

from diarium.core.jobs import runner


@task()
def run_job(job_id: str) -> str:
    job = runner.run(job_id)
    return job.state if job is not None else "skipped"
