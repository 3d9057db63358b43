"""The registry's background work, as kinds of job (diarium.core.jobs):

- `registry.poll_mailboxes`: read every active functional mailbox (or the one in
  params["mailbox"]) into the inboxes, and release the messages whose items have an
  outcome (registry/intake/polling.py). On the schedule every 5 minutes as system:mail
  (settings.JOB_SCHEDULE "mailbox-poll"). A mailbox that fails is recorded on the mailbox
  (the inbox page shows it) and fails the job after the other mailboxes were read.
- `registry.import_folder`: a folder tree into cases and documents
  (registry/intake/folders.py), run in the foreground by `diarium import folder`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.core import actors
from diarium.core.jobs.kinds import JobFailed, kind
from diarium.core.jobs.models import Job
from diarium.core.jobs.progress import Progress
from diarium.core.jobs.services import start
from diarium.registry.intake import imap, polling

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
