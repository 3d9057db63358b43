"""Which layout the kallelse and the minutes get: the authority's own Word
template when it has one of the right kind, the built-in layout (board/pdfs.py) otherwise.

A template "of the right kind" is an active document template offered to the meeting's
case (the authority's own first, then the municipality's) that is tied to the record type
the document is registered as ("Kallelse" for the kallelse, "Protokoll" for the minutes;
board/planning.py) and is written for a meeting: it uses `sammantrade` or `punkter`.
It is filled like any template (registry/services/templates.py: the case's fields,
sandboxed docxtpl) plus the meeting's own fields:

    sammantrade  organ, myndighet, datum, tid, plats
    punkter      per item: nummer, rubrik, rader (its lines), stangd (closed)
    narvaro      the attendance, one line per member (minutes)
    justerare    the justerare's names (minutes)

and turned into PDF/A-2b by LibreOffice (documents/convert/pdfa.py). A template that
does not loop over `punkter` gets the built-in agenda after its own pages, so the items
are never lost. The public versions are filled from the public texts only (closed items
withheld), exactly as the built-in layout is."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board import pdfs, planning
from diarium.board.models import Meeting
from diarium.board.pdfs import Section
from diarium.board.texts import minutes_sections, notice_sections
from diarium.documents import templating
from diarium.documents.convert import ConversionFailed
from diarium.documents.convert import pdfa as convert
from diarium.documents.convert.sandbox import private_folder
from diarium.documents.services import open_content
from diarium.registry import enforcement
from diarium.registry.models import DocumentTemplate
from diarium.registry.selectors import templates_for
from diarium.registry.services import DocumentData
from diarium.registry.services.templates import values_for

ITEMS_FIELD = "punkter"
# A template written for a meeting uses at least one of these; a case document's template
# of the same record type (an extract written by an officer) is not the meeting's layout.
MEETING_FIELDS = {"sammantrade", ITEMS_FIELD}


def template_for(meeting: Meeting, kind: str, on: dt.date | None = None
                 ) -> DocumentTemplate | None:
    """The template of the right kind for the meeting's documents, or None."""
    if meeting.case is None:
        return None
    on = on or timezone.localdate()
    try:
        rule = enforcement.resolve_rule(meeting.body.authority_id, kind, on)
    except ValidationError:
        return None
    if rule is None:
        return None
    found = [t for t in templates_for(meeting.case)
             if any(r.pk == rule.record_type_id for r in t.record_types.all())
             and MEETING_FIELDS & set(t.fields)]
    found.sort(key=lambda t: (t.authority_id is None, t.name))
    return found[0] if found else None


def _meeting_values(meeting: Meeting, sections: list[Section], items_from: int) -> dict:
    items = list(meeting.items.order_by("position"))
    rows = []
    for item, section in zip(items, sections[items_from:], strict=False):
        rows.append({"nummer": f"§ {item.paragraph}" if item.paragraph else str(item.position),
                     "rubrik": section.heading, "rader": list(section.lines),
                     "stangd": item.closed})
    return {
        "sammantrade": {"organ": meeting.body.name, "myndighet": meeting.body.authority.name,
                        "datum": meeting.date.isoformat(),
                        "tid": meeting.time.strftime("%H:%M"), "plats": meeting.place},
        ITEMS_FIELD: rows,
    }


def _values(meeting: Meeting, title: str) -> dict[str, Any]:
    values = values_for(meeting.case, DocumentData(
        direction="internal", title=title, document_date=timezone.localdate()))
    # A meeting's documents have no single addressee or party.
    values.update({"mottagare": meeting.body.name, "mottagare_adress": "", "parter": [],
                   "overklagandehanvisning": ""})
    return values


def render_template(template: DocumentTemplate, values: dict[str, Any]) -> bytes:
    """The template filled with the values, as PDF/A-2b bytes (LibreOffice)."""
    with private_folder() as folder:
        source = folder / "template.docx"
        with open_content(template.content) as stream, source.open("wb") as out:
            shutil.copyfileobj(stream, out)
        return render_docx(source, values, folder, name=template.name)


def render_docx(source: Path, values: dict[str, Any], folder: Path, *, name: str) -> bytes:
    """A DOCX template at `source` filled and converted in `folder` (bench/board.py
    measures this step on its own)."""
    try:
        filled = templating.fill(source, values, folder / "filled.docx")
        rendition = convert.make_pdfa(filled.path, "filled.docx", folder)
    except templating.TemplateRefused as exc:
        raise ValidationError({"template": str(exc)}) from exc
    except ConversionFailed as exc:
        raise ValidationError({"template": _("The template %(name)s could not be made "
                                             "PDF/A: %(why)s")
                               % {"name": name, "why": exc}}) from exc
    return rendition.path.read_bytes()


def _first_pages(meeting: Meeting, kind: str, title: str, sections: list[Section],
                 items_from: int, template: DocumentTemplate | None) -> bytes:
    header = meeting.body.authority.name
    if template is None:
        return pdfs.layout(title, header, sections)
    values = _values(meeting, title)
    values.update(_meeting_values(meeting, sections, items_from))
    values["narvaro"] = list(sections[1].lines) if kind == planning.MINUTES else []
    values["justerare"] = list(sections[2].lines) if kind == planning.MINUTES else []
    data = render_template(template, values)
    if ITEMS_FIELD in template.fields:
        return data
    # The template has no place for the items: its pages, then the built-in agenda.
    return pdfs.concatenate([data, pdfs.layout(title, header, sections)])


def notice_pages(meeting: Meeting, title: str, left_out: dict, *, public: bool,
                 template: DocumentTemplate | None = None) -> bytes:
    """The kallelse's own pages (before the items' documents)."""
    return _first_pages(meeting, planning.NOTICE, title,
                        notice_sections(meeting, left_out, public=public), 1, template)


def minutes_pdfa(meeting: Meeting, title: str, *, public: bool = False) -> bytes:
    """The minutes as PDF/A-2b; public: closed items withheld (board/texts.py)."""
    template = template_for(meeting, planning.MINUTES)
    sections = minutes_sections(meeting, public=public)
    return pdfs.make_pdfa(_first_pages(meeting, planning.MINUTES, title, sections, 3,
                                       template), title=title)
