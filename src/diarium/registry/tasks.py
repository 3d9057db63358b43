"""The registry's background work, as kinds of job (diarium.core.jobs):

- `documents.process`: a registered file's text (with OCR for scans), its PDF/A-2b
  rendition and the preview images (documents/processing.py), then the text indexed for
  every document that holds it. One job per stored content (the same bytes in two
  documents are processed once), started when a document is registered with files or
  made final (registry/processing.py). The work is idempotent: a worker killed half-way
  leaves the job to another worker, which finds what was made and makes the rest, so the
  content ends with exactly one rendition.
- `registry.poll_mailboxes`: read every active functional mailbox (or the one in
  params["mailbox"]) into the inboxes, and release the messages whose items have an
  outcome (registry/intake/polling.py). On the schedule every 5 minutes as system:mail
  (settings.JOB_SCHEDULE "mailbox-poll"). A mailbox that fails is recorded on the mailbox
  (the inbox page shows it) and fails the job after the other mailboxes were read.
- `registry.dispatch`: send an e-mail dispatch (registry/dispatch/sending.py).
- `registry.dispatch`: send an e-mail dispatch to its recipients still waiting
  (registry/dispatch/sending.py); started when the dispatch is made or retried.
- `registry.import_folder`: a folder tree into cases and documents
  (registry/intake/folders.py), run in the foreground by `diarium import folder`.
- `registry.send_reminders`: the day's e-mail reminders to responsible officers
  (registry/services/reminders.py), on the schedule at 06:30 as system:reminders
  (settings.JOB_SCHEDULE "case-reminders")."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.core import actors
from diarium.core.jobs.kinds import JobFailed, kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress
from diarium.core.jobs.services import start
from diarium.documents import processing
from diarium.documents.models import RenditionState, StoredFile
from diarium.organisation.selectors import access_for
from diarium.registry import indexing, signals
from diarium.registry.intake import imap, polling
from diarium.registry.models import Document, DocumentFile
from diarium.registry.services import signatures

PROCESS = "documents.process"
PHASES = ["text", "convert", "ocr", "preview", "index"]


def _staff(user) -> bool:
    return access_for(user).is_staff_member


def _document_page(job: Job) -> str | None:
    document = job.params.get("document")
    return reverse("registry:document", kwargs={"document_id": document}) if document else None


# Staff see these jobs (the document page polls their progress): a job names only the
# stored content's hash, an extension and the document's id, never a title or file name.
@kind(PROCESS, label=gettext_lazy("PDF/A, text and preview"), may_view=_staff, link=_document_page)
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
        if stored.mime_type == "application/pdf":
            # A PDF that arrives signed is validated at once (docs/signatures.md).
            signatures.validate_uploaded(signatures.VALIDATOR, doc)
    # A rendition may now be the public download: the projection learns of it.
    signals.changed(doc.case_id for doc in holders)
    progress.set(len(PHASES), message="done")
    rendition = outcome.rendition
    result = {"rendition": rendition.state, "label": rendition.label,
              "method": rendition.method, "pages": rendition.pages,
              "previews": len(rendition.previews), "text_chars": len(outcome.text.text),
              "ocr": outcome.text.ocr}
    if rendition.state == RenditionState.FAILED:
        raise JobFailed(rendition.error, result=result)
    return result


POLL_MAILBOXES = "registry.poll_mailboxes"
IMPORT_FOLDER = "registry.import_folder"


def _actor(job: Job):
    return job.started_by if job.started_by_id else actors.principal(job.principal)


@kind(POLL_MAILBOXES, label=gettext_lazy("Mailbox reading"))
def poll_mailboxes(job: Job, progress: Progress) -> dict:
    # The mail is taken in as system:mail whoever asked for the poll: reading a mailbox
    # is the gateway's work, not a registration.
    found = list(polling.mailboxes_to_poll(job.params.get("mailbox")))
    reports, failed = [], []
    progress.set(0, len(found), "mailboxes")
    for n, mailbox in enumerate(found, 1):
        try:
            report = polling.poll(mailbox, actor=actors.MAIL)
        except imap.MailboxError as exc:
            report = polling.PollReport(mailbox.name, error=str(exc))
            failed.append(f"{mailbox.name}: {exc}")
        reports.append(report.as_dict())
        progress.set(n, len(found), mailbox.name)
    result = {"mailboxes": reports}
    if failed:
        raise JobFailed(_("Reading failed: %(errors)s") % {"errors": "; ".join(failed)},
                        result)
    return result


def start_poll(actor, mailbox=None) -> Job:
    """Read one mailbox (or all) now, beside the schedule."""
    return start(POLL_MAILBOXES, actor=actor, principal="system:mail", subject=mailbox,
                 params={"mailbox": str(mailbox.pk)} if mailbox else {}, exclusive=True)


@kind(IMPORT_FOLDER, label=gettext_lazy("Folder import"))
def import_folder(job: Job, progress: Progress) -> dict:
    from pathlib import Path

    from diarium.registry.intake import folders

    actor = _actor(job)
    rules = folders.read_mapping(actor, job.params["mapping"])

    def advance(done: int, total: int, relative: str) -> None:
        progress.set(done, total, relative[-200:])

    report = folders.run(actor, Path(job.params["path"]), rules, progress=advance)
    return {"imported": report.count("imported"), "skipped": report.count("skipped"),
            "outcomes": [[o.relative, o.status, o.reason or o.target]
                         for o in report.outcomes][:10000]}


DISPATCH = "registry.dispatch"


# A dispatch job names only its dispatch and document (no recipient, no title): staff see
# it, the document page shows what it did.
@kind(DISPATCH, label=gettext_lazy("Dispatch by e-mail"), may_view=_staff, link=_document_page)
def send_dispatch(job: Job, progress: Progress) -> dict:
    """Send an e-mail dispatch to its recipients still waiting (registry/dispatch/
    sending.py). A recipient refused or a server down is recorded on the recipient and
    fails the job once the others were sent: the page offers the retry (a new job), so a
    message the server accepted is never sent twice by an automatic retry."""
    from diarium.registry.dispatch import sending
    from diarium.registry.dispatch import services as dispatching
    from diarium.registry.dispatch.models import Dispatch

    dispatch = Dispatch.objects.select_related("document", "document__case",
                                               "document__case__authority").get(
        pk=job.subject_id)
    progress.set(0, 1, "sending")
    report = sending.send(dispatch)
    dispatching.record_run(_actor(job), dispatch, report.sent, report.failed)
    progress.set(1, 1, "done")
    result = {"sent": len(report.sent), "failed": len(report.failed)}
    if report.failed:
        raise JobFailed(report.error or _("%(n)s recipient(s) were refused.") % {
            "n": len(report.failed)}, result)
    return result


SEND_REMINDERS = "registry.send_reminders"


@kind(SEND_REMINDERS, label=gettext_lazy("E-mail reminders"))
def send_reminders(job: Job, progress: Progress) -> dict:
    """The day's e-mail reminders to responsible officers (services/reminders.py), as
    system:reminders on the schedule (`case-reminders`). params["today"] (YYYY-MM-DD)
    runs a given day. A server that refuses fails the job after the others were sent;
    what was not sent goes out on the next run."""
    import datetime as dt

    from diarium.registry.services import reminders

    today = dt.date.fromisoformat(job.params["today"]) if job.params.get("today") else None
    progress.set(0, 1, "sending")
    run = reminders.send_reminders(_actor(job), today)
    progress.set(1, 1, "done")
    if run.failed:
        raise JobFailed(_("Some reminders were not sent: %(errors)s") % {
            "errors": "; ".join(run.failed)}, run.as_dict())
    return run.as_dict()
