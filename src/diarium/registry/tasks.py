"""The registry's background work (diarium.core.jobs): processing a registered file — its
text (with OCR for scans), its PDF/A-2b rendition and the preview images
(documents/processing.py) — and indexing the text for every document that holds it.

One job per stored content (the same bytes in two documents are processed once), started
when a document is registered with files or made final (registry/processing.py). The work
is idempotent: a worker killed half-way leaves the job to another worker, which finds
what was made and makes the rest, so the content ends with exactly one rendition."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from diarium.core.jobs.kinds import JobFailed, kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress
from diarium.documents import processing
from diarium.documents.models import RenditionState, StoredFile
from diarium.organisation.selectors import access_for
from diarium.registry import indexing
from diarium.registry.models import Document, DocumentFile

PROCESS = "documents.process"
PHASES = ["text", "convert", "ocr", "preview", "index"]


def _staff(user) -> bool:
    return access_for(user).is_staff_member


def _document_page(job: Job) -> str | None:
    document = job.params.get("document")
    return reverse("registry:document", kwargs={"document_id": document}) if document else None


# Staff see these jobs (the document page polls their progress): a job names only the
# stored content's hash, an extension and the document's id, never a title or file name.
@kind(PROCESS, label=_("PDF/A, text and preview"), may_view=_staff, link=_document_page)
def process_file(job: Job, progress: Progress) -> dict:
    stored = StoredFile.objects.get(sha256=job.subject_id)
    progress.set(0, len(PHASES), "text")

    def step(phase: str) -> None:
        progress.set(PHASES.index(phase), message=phase)
        progress.flush(force=True)  # each phase is shown as it starts

    outcome = processing.process(stored, job.params.get("name", ""), step=step)
    step("index")
    holders = Document.objects.filter(
        pk__in=DocumentFile.objects.filter(content=stored).values("document_id"))
    for doc in holders.select_related("case", "rule"):
        indexing.index_document(doc)
    progress.set(len(PHASES), message="done")
    rendition = outcome.rendition
    result = {"rendition": rendition.state, "label": rendition.label,
              "method": rendition.method, "pages": rendition.pages,
              "previews": len(rendition.previews), "text_chars": len(outcome.text.text),
              "ocr": outcome.text.ocr}
    if rendition.state == RenditionState.FAILED:
        raise JobFailed(rendition.error, result=result)
    return result
