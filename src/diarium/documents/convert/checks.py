"""Checking a PDF before it is kept as a PDF/A rendition.

Not a full PDF/A validator (veraPDF is the reference for that): the checks that matter for
keeping a document readable and safe — the PDF/A identification in the XMP metadata, every
font embedded, no encryption, no JavaScript, no actions that reach outside the file — each
reported by name, so the outcome recorded on the document says what was wrong."""

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

EXTERNAL_ACTIONS = {"/URI", "/Launch", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData"}
SCRIPT_ACTIONS = {"/JavaScript", "/Rendition"}


@dataclass
class PdfReport:
    pages: int = 0
    pdfa_part: str = ""
    pdfa_conformance: str = ""
    has_text: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def is_pdfa(self) -> bool:
        return bool(self.pdfa_part) and not self.problems

    @property
    def label(self) -> str:
        return f"PDF/A-{self.pdfa_part}{self.pdfa_conformance.lower()}" if self.pdfa_part else ""


def inspect(path: Path) -> PdfReport:
    """Read a PDF and report its PDF/A claim and every problem found."""
    report = PdfReport()
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        report.problems.append("encrypted: the PDF needs a password")
        return report
    except pikepdf.PdfError as exc:
        report.problems.append(f"unreadable PDF: {exc}")
        return report
    with pdf:
        report.pages = len(pdf.pages)
        if pdf.is_encrypted:
            report.problems.append("encrypted")
        _identification(pdf, report)
        _document_actions(pdf, report)
        unembedded: set[str] = set()
        for number, page in enumerate(pdf.pages, start=1):
            unembedded |= _page(page, number, report)
        if unembedded:
            report.problems.append("fonts not embedded: " + ", ".join(sorted(unembedded)))
    return report


def _identification(pdf: pikepdf.Pdf, report: PdfReport) -> None:
    try:
        meta = pdf.open_metadata()
    except Exception:
        report.problems.append("XMP metadata unreadable")
        return
    report.pdfa_part = str(meta.get("pdfaid:part", "") or "")
    report.pdfa_conformance = str(meta.get("pdfaid:conformance", "") or "")
    if not report.pdfa_part:
        report.problems.append("no PDF/A identification in the XMP metadata")


def _document_actions(pdf: pikepdf.Pdf, report: PdfReport) -> None:
    root = pdf.Root
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names:
        report.problems.append("document-level JavaScript")
    if "/AA" in root:
        report.problems.append("document additional actions")
    _action(root.get("/OpenAction"), "open action", report)


def _action(action, where: str, report: PdfReport) -> None:
    if not isinstance(action, pikepdf.Dictionary):
        return
    kind = str(action.get("/S", ""))
    if kind in SCRIPT_ACTIONS:
        report.problems.append(f"JavaScript in the {where}")
    elif kind in EXTERNAL_ACTIONS:
        report.problems.append(f"external link ({kind[1:]}) in the {where}")


def _page(page: pikepdf.Page, number: int, report: PdfReport) -> set[str]:
    obj = page.obj
    if "/AA" in obj:
        report.problems.append(f"page {number}: additional actions")
    for annotation in obj.get("/Annots", []) or []:
        _action(annotation.get("/A"), f"link on page {number}", report)
    resources = obj.get("/Resources")
    fonts = resources.get("/Font") if resources is not None else None
    if fonts is None:
        return set()
    report.has_text = True
    return {
        str(font.get("/BaseFont", name))[1:] for name, font in fonts.items()
        if not _embedded(font)
    }


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by the font's own content streams
    descendants = font.get("/DescendantFonts")
    if descendants is not None:
        return all(_embedded(child) for child in descendants)
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
