"""The PDF/A of a document sent with an agenda item: its checked rendition, or the
original when that already is a PDF/A. A document without one is left out of the
kallelse with the reason stated."""

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from diarium.documents.convert import checks
from diarium.documents.models import StoredFile
from diarium.documents.services import open_content
from diarium.registry import selectors as registry_selectors
from diarium.registry.models import Document


def _is_pdfa(stored: StoredFile) -> bool:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp, open_content(stored) as stream:
        tmp.write(stream.read())
        tmp.flush()
        return checks.inspect(Path(tmp.name)).is_pdfa


def pdfa_parts(document: Document) -> tuple[list[StoredFile], str]:
    """The stored PDF/A of each file of the document, or ([], why it is left out)."""
    parts = []
    for file in document.files.select_related("content").all():
        made = registry_selectors.rendition_content(file)
        if made is None and file.mime_type == "application/pdf" and _is_pdfa(file.content):
            made = file.content
        if made is None:
            return [], _("no PDF/A rendition of %(name)s yet") % {"name": file.original_name}
        parts.append(made)
    if not parts:
        return [], _("the document has no file")
    return parts, ""
