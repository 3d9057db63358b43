"""PDF/A-2b renditions of originals, made beside them and never in their place.

Office documents and plain text go through LibreOffice (its PDF export with PDF/A-2 on),
images and PDFs that are not PDF/A through OCRmyPDF, which writes PDF/A-2 and adds a text
layer from Tesseract's Swedish model to pages that have none. A PDF that already is PDF/A
and passes the checks is kept as it is. E-mail is laid out as a page of its headers and
text first (convert/mail.py)."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.documents.convert import checks, mail
from diarium.documents.convert.formats import IMAGES, OFFICE, sniff
from diarium.documents.convert.sandbox import ConversionFailed, run

FILTERS = {
    "docx": "writer_pdf_Export", "odt": "writer_pdf_Export", "rtf": "writer_pdf_Export",
    "doc": "writer_pdf_Export", "txt": "writer_pdf_Export", "html": "writer_web_pdf_Export",
    "xlsx": "calc_pdf_Export", "ods": "calc_pdf_Export", "xls": "calc_pdf_Export",
    "pptx": "impress_pdf_Export", "odp": "impress_pdf_Export", "ppt": "impress_pdf_Export",
}
PDFA2 = {"SelectPdfVersion": {"type": "long", "value": "2"}}


@dataclass(frozen=True)
class Rendition:
    path: Path
    report: checks.PdfReport
    method: str  # libreoffice, ocrmypdf, kept


def timeout() -> float:
    return float(getattr(settings, "CONVERSION_TIMEOUT", 300))


def make_pdfa(source: Path, name: str, workdir: Path) -> Rendition:
    """A checked PDF/A-2b rendition of `source` (an original named `name`) in `workdir`."""
    kind = sniff(source, name).kind
    if kind == "pdf":
        return _from_pdf(source, workdir)
    if kind in IMAGES:
        return _checked(_ocrmypdf(source, workdir, image=True), "ocrmypdf")
    if kind == "eml":
        return _checked(_libreoffice(mail.to_html(source, workdir), "html", workdir),
                        "libreoffice")
    if kind in OFFICE:
        return _checked(_libreoffice(source, kind, workdir), "libreoffice")
    raise ConversionFailed(_("Files of this kind (%(kind)s) get no PDF/A rendition.")
                           % {"kind": kind})


def _from_pdf(source: Path, workdir: Path) -> Rendition:
    report = checks.inspect(source)
    if report.is_pdfa:
        return Rendition(source, report, "kept")
    if any(p.startswith("encrypted") for p in report.problems):
        raise ConversionFailed(_("The PDF is protected by a password and cannot be converted."))
    return _checked(_ocrmypdf(source, workdir, image=False), "ocrmypdf")


def _checked(path: Path, method: str) -> Rendition:
    report = checks.inspect(path)
    if not report.is_pdfa:
        raise ConversionFailed(_("The rendition did not pass the PDF/A checks: %(problems)s")
                               % {"problems": "; ".join(report.problems)})
    return Rendition(path, report, method)


def _libreoffice(source: Path, kind: str, workdir: Path) -> Path:
    # A copy with the right extension: LibreOffice picks its import filter by extension.
    staged = workdir / f"original.{kind}"
    if source != staged:
        staged.write_bytes(source.read_bytes())
    out = workdir / "out"
    options = json.dumps(PDFA2)
    argv = [
        "soffice", "--headless", "--norestore", "--nologo", "--nodefault",
        f"-env:UserInstallation=file://{workdir}/profile",
        "--convert-to", f"pdf:{FILTERS[kind]}:{options}", "--outdir", str(out), staged.name,
    ]
    if kind == "txt":
        argv[1:1] = ["--infilter=Text (encoded):UTF8,LF,,,"]
    result = run(argv, cwd=workdir, timeout=timeout())
    produced = out / "original.pdf"
    if result.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
        raise ConversionFailed(_("LibreOffice could not read the file (damaged or not what "
                                 "its name says)."))
    return produced


def ocr_copy(source: Path, workdir: Path) -> Path:
    """An OCR-ed copy of a PDF whose pages have no text (for its text only: a PDF/A that
    was kept as it is stays the rendition)."""
    return _ocrmypdf(source, workdir, image=False)


def _ocrmypdf(source: Path, workdir: Path, *, image: bool) -> Path:
    produced = workdir / "ocr.pdf"
    argv = ["ocrmypdf", "--output-type", "pdfa-2", "-l", "swe", "--skip-text",
            "--quiet", "--jobs", "1"]
    if image:
        argv += ["--image-dpi", "300"]
    argv += [str(source), str(produced)]
    result = run(argv, cwd=workdir, timeout=timeout())
    if result.returncode != 0 or not produced.is_file():
        raise ConversionFailed(_ocr_reason(result.returncode, result.stderr))
    return produced


# OCRmyPDF's documented exit codes that a user can act on.
OCR_REASONS = {
    2: gettext_lazy("The file is not a valid PDF or image."),
    8: gettext_lazy("The PDF is protected by a password and cannot be converted."),
    6: gettext_lazy("The PDF already has a text layer that cannot be replaced."),
}


def _ocr_reason(code: int, stderr: str) -> str:
    if code in OCR_REASONS:
        return str(OCR_REASONS[code])
    last = stderr.strip().splitlines()[-1:] or [""]
    return _("OCRmyPDF failed (%(code)s): %(detail)s") % {"code": code, "detail": last[0][:200]}
