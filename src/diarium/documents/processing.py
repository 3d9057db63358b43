"""What is made from a stored original, once and beside it: its text (OCR for scans), its
PDF/A-2b rendition (checked), and preview images of the rendition's first pages.

Each step is idempotent and keyed by the original's SHA-256: run again (a retried job, a
worker killed half-way) it finds what was made and does not make it twice, and a failed
conversion is recorded with its reason and made again when asked. The originals are never
touched: everything works on a copy in a private folder (convert/sandbox.py). The registry
runs these steps as a background job (registry/tasks.py) and indexes the text."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from diarium.documents.convert import ConversionFailed, pdfa, text
from diarium.documents.convert.formats import IMAGES, UnknownFormat, sniff
from diarium.documents.convert.sandbox import private_folder, run
from diarium.documents.models import ExtractedText, Rendition, RenditionState, StoredFile
from diarium.documents.services import open_content, store_content

PREVIEW_PAGES = 2
PREVIEW_DPI = 80
Step = Callable[[str], None]  # told the phase it enters


@dataclass
class Outcome:
    rendition: Rendition
    text: ExtractedText


def _materialise(stored: StoredFile, folder: Path, name: str) -> Path:
    path = folder / f"original{Path(name).suffix[:10]}"
    with open_content(stored) as stream, path.open("wb") as out:
        shutil.copyfileobj(stream, out)
    return path


def process(stored: StoredFile, name: str, *, step: Step = lambda phase: None) -> Outcome:
    """Make (or find) the rendition, its previews and the text of `stored`; a rendition
    that failed before is tried again."""
    existing = Rendition.objects.filter(source=stored.sha256).first()
    known_text = ExtractedText.objects.filter(source=stored.sha256).first()
    if existing is not None and known_text is not None and (
            existing.state != RenditionState.FAILED):
        return Outcome(existing, known_text)
    with private_folder() as folder:
        source = _materialise(stored, folder, name)
        step("text")
        own_text, text_error = _own_text(source, name, folder)
        step("convert")
        rendition = _rendition(source, name, folder)
        rendered = folder / "rendition.pdf"
        ocr = False
        if rendition.state == RenditionState.OK:
            if not own_text.strip():
                step("ocr")
                own_text, ocr, text_error = _ocr_text(source, name, rendition, rendered, folder)
            step("preview")
            rendition.previews = _previews(rendered, folder)
        with transaction.atomic():
            Rendition.objects.update_or_create(source=stored.sha256, defaults={
                "state": rendition.state, "content": rendition.content,
                "method": rendition.method, "label": rendition.label,
                "pages": rendition.pages, "problems": rendition.problems,
                "error": rendition.error, "previews": rendition.previews,
                "made_at": timezone.now()})
            extracted, _created = ExtractedText.objects.update_or_create(
                source=stored.sha256, defaults={"text": own_text, "ocr": ocr,
                                                "error": text_error,
                                                "extracted_at": timezone.now()})
    return Outcome(Rendition.objects.get(source=stored.sha256), extracted)


def _own_text(source: Path, name: str, folder: Path) -> tuple[str, str]:
    try:
        return text.extract_text(source, name, folder, timeout=pdfa.timeout()), ""
    except ConversionFailed as exc:
        return "", str(exc)


def _rendition(source: Path, name: str, folder: Path) -> Rendition:
    """A Rendition row (unsaved) for the original: made and checked, or why not."""
    work = folder / "convert"
    work.mkdir()
    try:
        kind = sniff(source, name).kind
    except UnknownFormat as exc:
        return Rendition(state=RenditionState.UNSUPPORTED, error=str(exc))
    except ConversionFailed as exc:  # a damaged file of a kind we convert
        return Rendition(state=RenditionState.FAILED, error=str(exc))
    try:
        made = pdfa.make_pdfa(source, name, work)
    except ConversionFailed as exc:
        unsupported = kind not in pdfa.FILTERS and kind not in IMAGES and kind not in (
            "pdf", "eml")
        state = RenditionState.UNSUPPORTED if unsupported else RenditionState.FAILED
        return Rendition(state=state, error=str(exc))
    with made.path.open("rb") as stream:
        content = store_content(stream, mime_type="application/pdf", limit=1 << 40)
    shutil.copyfile(made.path, folder / "rendition.pdf")
    return Rendition(state=RenditionState.OK, content=content.sha256, method=made.method,
                     label=made.report.label, pages=made.report.pages,
                     problems=made.report.problems)


def _ocr_text(source: Path, name: str, rendition: Rendition, rendered: Path,
              folder: Path) -> tuple[str, bool, str]:
    """Text from the rendition's text layer (OCRmyPDF gave scans one); a PDF/A that was
    kept as it is and has no text is OCR-ed for the index only."""
    ocr_folder = folder / "ocr"
    ocr_folder.mkdir()
    try:
        target = rendered
        if rendition.method == "kept":
            target = pdfa.ocr_copy(rendered, ocr_folder)
        found = text.extract_text(target, "rendition.pdf", ocr_folder, timeout=pdfa.timeout())
        return found, bool(found.strip()), ""
    except ConversionFailed as exc:
        return "", False, str(exc)


def _previews(rendered: Path, folder: Path) -> list[str]:
    """PNG images of the first pages (pdftoppm), stored by hash."""
    out = folder / "preview"
    out.mkdir()
    result = run(["pdftoppm", "-png", "-r", str(PREVIEW_DPI), "-f", "1", "-l",
                  str(PREVIEW_PAGES), str(rendered), str(out / "page")], cwd=folder,
                 timeout=pdfa.timeout())
    if result.returncode != 0:
        return []
    hashes = []
    for image in sorted(out.glob("page*.png")):
        with image.open("rb") as stream:
            hashes.append(store_content(stream, mime_type="image/png").sha256)
    return hashes
