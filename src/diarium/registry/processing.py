"""What happens to a document's files after they are registered or made final: a
background job per stored content makes its PDF/A rendition, text (OCR for scans) and
previews and indexes the text (registry/tasks.py). Drafts get none: their versions are
processed when one is made final."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.db.models import QuerySet

from diarium.core.actors import Actor
from diarium.core.jobs import services as jobs
from diarium.core.jobs.models import Job
from diarium.documents.models import ExtractedText, Rendition, RenditionState
from diarium.registry.models import Document, DocumentFile

KIND = "documents.process"


def after_files_added(actor: Actor, doc: Document) -> list[Job]:
    """Queue the processing of the document's files that is not done yet (in the
    caller's transaction)."""
    files = list(doc.files.select_related("content"))
    done = _done({f.content_id for f in files})
    started = []
    for file in files:
        if file.content_id not in done:
            started.append(start(actor, file))
            done.add(file.content_id)
    return started


def start(actor: Actor, file: DocumentFile) -> Job:
    """One job per content while it is queued or running (asking again returns it). The
    job names no file or title (its staff may see it): only the file's extension, which
    tells the converter what the sender said it is, and the document whose page shows
    the outcome."""
    suffix = PurePosixPath(file.original_name).suffix[:10]
    return jobs.start(KIND, actor=actor, subject=file.content, exclusive=True,
                      params={"name": f"original{suffix}", "document": str(file.document_id)})


def _done(hashes: set[str]) -> set[str]:
    made = set(Rendition.objects.filter(source__in=hashes).exclude(
        state=RenditionState.FAILED).values_list("source", flat=True))
    read = set(ExtractedText.objects.filter(source__in=hashes).values_list("source", flat=True))
    return made & read


def needs_again(doc: Document) -> list[DocumentFile]:
    """The document's files whose processing failed or never ran (and is not running)."""
    files = list(doc.files.select_related("content"))
    done = _done({f.content_id for f in files})
    active = set(Job.objects.filter(kind=KIND, state__in=["queued", "running"],
                                    subject_id__in=[f.content_id for f in files])
                 .values_list("subject_id", flat=True))
    return [f for f in files if f.content_id not in done and f.content_id not in active]


def jobs_of(doc: Document) -> QuerySet[Job]:
    """The processing jobs of the document's files, newest first (the page shows them;
    the caller has shown the document)."""
    hashes = [str(h) for h in doc.files.values_list("content_id", flat=True)]
    return Job.objects.filter(kind=KIND, subject_type="documents.storedfile",
                              subject_id__in=hashes).order_by("-created_at")
