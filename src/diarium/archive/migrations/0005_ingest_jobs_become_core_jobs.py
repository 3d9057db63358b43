"""The archive's IngestJob rows become diarium.core's generic jobs (the same ids), then the
table goes. Kinds: ingest -> archive.ingest, verify -> archive.fixity, dispose ->
archive.dispose; what a job worked on becomes its subject; a job left "running" or
"interrupted" by a stopped worker is cancelled (its work was taken over by a later run)."""

from django.db import migrations

KINDS = {"ingest": "archive.ingest", "verify": "archive.fixity", "dispose": "archive.dispose"}
STATES = {"running": "cancelled", "interrupted": "cancelled", "succeeded": "succeeded",
          "failed": "failed"}


def _subject(old) -> tuple[str, str]:
    if old.package_id:
        return "archive.package", str(old.package_id)
    if old.source.startswith("disposal-run:"):
        return "archive.disposalrun", old.source.partition(":")[2]
    return "", ""


def forwards(apps, schema_editor):
    IngestJob = apps.get_model("archive", "IngestJob")
    Job = apps.get_model("core", "Job")
    rows = []
    for old in IngestJob.objects.all().iterator(chunk_size=1000):
        subject_type, subject_id = _subject(old)
        state = STATES.get(old.status, "failed")
        error = old.error or ("The worker stopped before it finished."
                              if state == "cancelled" else "")
        rows.append(Job(
            id=old.id, kind=KINDS.get(old.kind, f"archive.{old.kind}"),
            subject_type=subject_type, subject_id=subject_id,
            params={"path": old.source} if old.kind == "ingest" and old.source else {},
            state=state, done=old.done, total=old.total, message=old.phase[:200],
            log=old.log, error=error, started_by_id=old.started_by_id,
            principal="" if old.started_by_id else "system:archive", attempts=1,
            max_attempts=3, created_at=old.started_at, started_at=old.started_at,
            finished_at=old.finished_at or old.started_at))
        if len(rows) >= 1000:
            Job.objects.bulk_create(rows)
            rows = []
    Job.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    IngestJob = apps.get_model("archive", "IngestJob")
    Job = apps.get_model("core", "Job")
    back = {v: k for k, v in KINDS.items()}
    for job in Job.objects.filter(kind__in=list(back)).iterator(chunk_size=1000):
        IngestJob.objects.create(
            id=job.id, kind=back[job.kind], source=job.params.get("path", "")[:1000],
            package_id=job.subject_id if job.subject_type == "archive.package" else None,
            status=job.state if job.state in {"succeeded", "failed"} else "interrupted",
            phase=job.message[:32], done=job.done, total=job.total, log=job.log,
            error=job.error, started_by_id=job.started_by_id, started_at=job.created_at,
            finished_at=job.finished_at)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0004_hold_reference_help"),
        ("core", "0002_background_jobs"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="IngestJob"),
    ]
