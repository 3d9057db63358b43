"""The digital case file (digital akt): every final document of a case, in number order,
as one PDF/A with an index page (diarienummer, document numbers, dates, direction, record
type) and a bookmark per document.

Secrecy: a document whose content the user may not read (the visibility policy) is left
out, and its row in the index says that its pages were withheld; a title that may not be
shown is replaced by the public title. The akt a user makes holds what that user may read,
never more. Documents without a PDF/A rendition are listed as such."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.core.pdf import NEXT_LINE, make_pdf
from diarium.documents.bundle import Part, bundle, page_count
from diarium.documents.convert.pdfa import make_pdfa
from diarium.documents.convert.sandbox import private_folder
from diarium.documents.models import Rendition, RenditionState, StoredFile
from diarium.documents.services import open_content
from diarium.documents.signature_models import SignatureRequest
from diarium.organisation.models import User
from diarium.registry.models import Case, Document, DocumentStatus
from diarium.registry.visibility import RegistryPage, policy_for


@dataclass
class Row:
    document: Document
    title: str
    readable: bool
    renditions: list[StoredFile] = field(default_factory=list)
    pages: int = 0
    first_page: int | None = None


@dataclass
class CaseFile:
    pdf: bytes
    rows: list[Row]

    @property
    def withheld(self) -> int:
        return sum(1 for row in self.rows if not row.readable)


def _title(policy, doc: Document) -> str:
    if policy.document(doc).public_fields and not doc.withhold_title:
        return doc.title
    if policy.document(doc).content:
        return doc.title
    return doc.public_title or _("(secret)")


def _renditions(doc: Document, signed: set[str]) -> list[tuple[StoredFile, int]]:
    files = [f for f in doc.files.select_related("content").order_by("added_at", "id")
             if f.content_id not in signed]  # a signed copy repeats its final's pages
    made = {r.source: r for r in Rendition.objects.filter(
        source__in=[f.content_id for f in files], state=RenditionState.OK)}
    found = []
    for file in files:
        rendition = made.get(file.content_id)
        if rendition is not None and rendition.content:
            found.append((StoredFile.objects.get(sha256=rendition.content), rendition.pages))
    return found


def rows_for(user: User, case: Case, shown: RegistryPage) -> list[Row]:
    """The case's final documents, in number order, as the user may see them; the page
    decides which contents are shown (and audits the secret ones)."""
    policy = policy_for(user)
    docs = (policy.filter_documents(case.documents.all())
            .filter(status=DocumentStatus.REGISTERED)
            .select_related("case", "rule").order_by("number"))
    signed = set(SignatureRequest.objects.filter(
        document__in=[d.pk for d in docs]).values_list("current_id", flat=True))
    rows = []
    for doc in docs:
        readable = shown.show_document(doc)
        row = Row(doc, _title(policy, doc), readable)
        if readable:
            found = _renditions(doc, signed)
            row.renditions = [stored for stored, _pages in found]
            row.pages = sum(pages for _stored, pages in found)
        rows.append(row)
    return rows


def _index_pdf(case: Case, rows: list[Row], user: User, title: str) -> bytes:
    pdf = make_pdf(title)
    pdf.add_page()
    pdf.set_font(pdf.body_font, "B", size=14)
    pdf.multi_cell(0, 8, pdf.clean(title), **NEXT_LINE)
    pdf.set_font(pdf.body_font, size=9)
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    pdf.multi_cell(0, 5, pdf.clean(_("Made %(when)s by %(who)s.") % {
        "when": made, "who": user.get_full_name() or user.get_username()}), **NEXT_LINE)
    pdf.ln(2)
    widths = (30, 20, 22, 32, 64, 22)
    heads = (_("Number"), _("Date"), _("Direction"), _("Record type"), _("Description"),
             _("Page"))
    pdf.set_font(pdf.body_font, "B", size=8)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 6, pdf.clean(head), border="B")
    pdf.ln()
    pdf.set_font(pdf.body_font, size=8)
    for row in rows:
        doc = row.document
        page = (str(row.first_page) if row.first_page else
                _("withheld") if not row.readable else _("no PDF/A"))
        # A document the user may not read shows its number and its title as the policy
        # gives it, nothing more: as on the case page. The record type's name is its plan
        # rule's (a RecordType is only an identity across plan versions).
        known = (doc.document_date.isoformat(), doc.get_direction_display(),
                 doc.rule.name if doc.rule_id else "–") if row.readable else ("–",) * 3
        cells = (doc.document_number, *known, row.title, page)
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 6, pdf.clean(str(text)[:60]))
        pdf.ln()
    withheld = [r for r in rows if not r.readable]
    if withheld:
        pdf.ln(3)
        pdf.set_font(pdf.body_font, "B", size=9)
        pdf.multi_cell(0, 5, pdf.clean(_(
            "The pages of %(n)d document(s) were withheld: you may not read them (secrecy)."
        ) % {"n": len(withheld)}), **NEXT_LINE)
    return bytes(pdf.output())


def build(user: User, case: Case, shown: RegistryPage) -> CaseFile:
    """The akt as the user may see it (the caller checks that the user may read the case)."""
    rows = rows_for(user, case, shown)
    title = _("Case file %(number)s") % {"number": case.diary_number}
    with private_folder() as folder:
        first = _index_pdf(case, rows, user, title)
        (folder / "index-draft.pdf").write_bytes(first)
        start = page_count(folder / "index-draft.pdf") + 1
        parts = []
        for row in rows:
            for n, stored in enumerate(row.renditions):
                path = folder / f"part-{row.document.number}-{n}.pdf"
                with open_content(stored) as stream, path.open("wb") as out:
                    shutil.copyfileobj(stream, out)
                if n == 0:
                    row.first_page = start
                parts.append(Part(f"{row.document.document_number} {row.title}", path))
                start += page_count(path)
        (folder / "index.pdf").write_bytes(_index_pdf(case, rows, user, title))
        index = make_pdfa(folder / "index.pdf", "index.pdf", folder).path
        done = bundle(index, title, parts, folder / "akt.pdf")
        return CaseFile(done.read_bytes(), rows)
