"""The cover letter (följebrev) and the subject of a dispatch, and the printable PDF of a
dispatch by post: for each recipient an address page (the address where a window envelope
shows it) and the cover letter.

The cover letter is the authority's template (DispatchSettings.cover_letter) with
$diarienummer, $handling, $mottagare, $datum and $myndighet filled in; a template that names
anything else keeps it as written (string.Template.safe_substitute never fails)."""

from __future__ import annotations

import datetime as dt
from string import Template

from django.utils.translation import gettext as _

from diarium.core.pdf import NEXT_LINE, make_pdf
from diarium.registry.dispatch.models import Dispatch
from diarium.registry.models import Document


def default_cover_letter() -> str:
    return _("Hello $mottagare,\n\nEnclosed is $handling in case $diarienummer from "
             "$myndighet.\n\nKind regards\n$myndighet")


def default_subject(doc: Document) -> str:
    """The diarienummer first (the recipient's answer finds the case by it), then the
    document's description on one line."""
    title = " ".join(doc.title.split())
    return f"{doc.case.diary_number} {title}"[:500]


def cover_letter(template: str, doc: Document, recipient_name: str, day: dt.date) -> str:
    values = {"diarienummer": doc.case.diary_number, "handling": doc.title,
              "mottagare": recipient_name, "datum": day.isoformat(),
              "myndighet": doc.case.authority.name}
    return Template(template or default_cover_letter()).safe_substitute(values)


def post_pdf(dispatch: Dispatch, day: dt.date) -> bytes:
    """The pages to print for a dispatch by post."""
    doc = dispatch.document
    title = _("Dispatch of %(number)s") % {"number": doc.document_number}
    pdf = make_pdf(title)
    for recipient in dispatch.recipients.all():
        _address_page(pdf, doc, recipient.name, recipient.postal_address)
        _letter_page(pdf, doc, dispatch, recipient.name, day)
    return bytes(pdf.output())


def _address_page(pdf, doc: Document, name: str, address: str) -> None:
    pdf.add_page()
    pdf.set_font(pdf.body_font, size=9)
    pdf.cell(0, 5, pdf.clean(doc.case.authority.name), **NEXT_LINE)
    # A C5 window envelope shows 20-110 mm from the left, 45-90 mm from the top.
    pdf.set_xy(22, 50)
    pdf.set_font(pdf.body_font, size=12)
    for line in [name, *address.splitlines()]:
        pdf.set_x(22)
        pdf.cell(88, 6, pdf.clean(line), **NEXT_LINE)


def _letter_page(pdf, doc: Document, dispatch: Dispatch, name: str, day: dt.date) -> None:
    pdf.add_page()
    pdf.set_font(pdf.body_font, size=9)
    pdf.cell(0, 5, pdf.clean(f"{doc.case.authority.name}   {day.isoformat()}"), **NEXT_LINE)
    pdf.cell(0, 5, pdf.clean(_("Diary number: %(number)s") % {
        "number": doc.case.diary_number}), **NEXT_LINE)
    pdf.ln(8)
    pdf.set_font(pdf.body_font, "B", size=12)
    pdf.multi_cell(0, 6, pdf.clean(dispatch.subject), **NEXT_LINE)
    pdf.ln(4)
    pdf.set_font(pdf.body_font, size=11)
    text = cover_letter(dispatch.cover_letter, doc, name, day)
    pdf.multi_cell(0, 6, pdf.clean(text), **NEXT_LINE)
