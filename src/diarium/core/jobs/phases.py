"""The words of a job's progress: a handler reports its phase by a short English code
("validate", "verify", "done"; Progress.phase/set), and pages and the API show it in the
reader's language. A message that is not a known code (a diary number, a mailbox's name)
is shown as it is."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PHASES = {
    # the archive: ingest, fixity audit, disposal, archiving closed cases, DIP
    "validate": _("validating the package"),
    "verify": _("verifying the copies"),
    "copy": _("copying"),
    "dispose": pgettext_lazy("job phase", "disposing of"),
    "export": _("exporting the cases"),
    "build": _("building the package"),
    # a file's processing (registry)
    "text": _("extracting the text"),
    "convert": _("converting to PDF/A"),
    "ocr": _("recognising text (OCR)"),
    "preview": _("making the preview"),
    "index": _("indexing"),
    # sending, reading, masking
    "sending": _("sending"),
    "mailboxes": _("reading the mailboxes"),
    "read the directory": _("reading the directory"),
    "redact": _("masking"),
    "done": pgettext_lazy("job phase", "done"),
}


def phase_label(message: str) -> str:
    found = PHASES.get(message)
    return str(found) if found is not None else message
