"""Masking (maskering) that removes what it covers, not a black box over it.

Method: every page that carries a mask is rasterised (pdftoppm, at DPI), the masks are
painted solid black into the pixels, and the page is replaced by that image alone: none
of the page's text, fonts, vector content, annotations or hidden layers is carried over.
Pages without a mask are copied unchanged. The copy is written as a new PDF that holds
only the pages: no document information, XMP metadata, outline (bookmarks), structure
tree (whose alt texts can hold words), forms, attachments, scripts or annotations of the
source come with it.

What this guarantees: no text of a masked page can be extracted from the copy (pdftotext,
pypdf or any other tool): only pixels remain, and under a mask the pixels are black. Text
outside the masks stays readable to the eye; on unmasked pages it stays extractable
text, on masked pages it is image only (no OCR layer is made: it would be slow and only
approximate). tests/disclosure/test_redaction.py checks both."""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

DPI = 150
TIMEOUT = 120


class RedactionFailed(Exception):
    """The PDF could not be read or a page not rasterised (the message says which)."""


@dataclass(frozen=True)
class Box:
    """A mask: page number (from 1) and its edges as fractions of the page as shown,
    from the top-left corner."""

    page: int
    left: float
    top: float
    right: float
    bottom: float

    def valid(self) -> bool:
        return (self.page >= 1 and 0 <= self.left < self.right <= 1
                and 0 <= self.top < self.bottom <= 1)


def page_count(source: Path) -> int:
    import pikepdf

    try:
        with pikepdf.open(source) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, pikepdf.PasswordError) as exc:
        raise RedactionFailed(_("The file is not a readable PDF: %(error)s") % {
            "error": exc}) from exc


def render_page(source: Path, page: int, dpi: int = DPI, fmt: str = "png") -> bytes:
    """One page as an image (PNG or PPM), as pdftoppm draws it (crop box, rotation)."""
    with tempfile.TemporaryDirectory(prefix="diarium-mask-") as tmp:
        return _draw(source, page, page, dpi, Path(tmp), fmt)[0].read_bytes()


def _draw(source: Path, first: int, last: int, dpi: int, folder: Path,
          fmt: str = "ppm") -> list[Path]:
    """Pages first..last drawn into `folder` by one pdftoppm run (the file is parsed
    once); the images in page order. They stay on disk: a long run is not held in memory."""
    prefix = folder / f"run-{first}"
    args = ["pdftoppm", "-r", str(dpi), "-f", str(first), "-l", str(last)]
    if fmt == "png":
        args.append("-png")
    try:
        result = subprocess.run(  # noqa: S603 - argv is ours: page numbers, temp paths
            [*args, str(source), str(prefix)], capture_output=True, timeout=TIMEOUT,
            check=False)
    except subprocess.TimeoutExpired as exc:
        raise RedactionFailed(_("Drawing page %(page)s took too long.") % {
            "page": first}) from exc
    # pdftoppm names them run-<first>-<page>, zero-padded alike: sorted is page order.
    images = sorted(folder.glob(f"run-{first}-*"))
    if result.returncode != 0 or len(images) != last - first + 1:
        raise RedactionFailed(_("Page %(page)s could not be drawn: %(error)s") % {
            "page": first, "error": result.stderr.decode(errors="replace")[:300]})
    return images


def _runs(pages: list[int]) -> list[tuple[int, int]]:
    """Sorted page numbers as runs of consecutive pages: (first, last)."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return [(a, b) for a, b in runs]


def _masked_page(out, drawn: bytes, boxes: list[Box], dpi: int):
    """A new page of `out` that is the drawn page with its masks painted black."""
    import pikepdf
    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(drawn)).convert("RGB")
    width, height = image.size
    draw = ImageDraw.Draw(image)
    for box in boxes:
        # Rounded outwards: a mask never leaves a sliver of what it covers.
        draw.rectangle([int(box.left * width), int(box.top * height),
                        min(width - 1, int(box.right * width + 1)),
                        min(height - 1, int(box.bottom * height + 1))], fill=(0, 0, 0))
    encoded = io.BytesIO()
    image.save(encoded, format="JPEG", quality=90)
    w_pt, h_pt = width * 72 / dpi, height * 72 / dpi
    xobject = pikepdf.Stream(out, encoded.getvalue(), Type=pikepdf.Name.XObject,
                             Subtype=pikepdf.Name.Image, Width=width, Height=height,
                             ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8,
                             Filter=pikepdf.Name.DCTDecode)
    content = f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Im0 Do Q".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, w_pt, h_pt],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject)),
        Contents=pikepdf.Stream(out, content))
    return pikepdf.Page(out.make_indirect(page))


# Page keys that can carry words or scripts besides what the page shows.
_PAGE_EXTRAS = ("/Annots", "/Thumb", "/PieceInfo", "/Metadata", "/AA", "/StructParents")


def redact(source: Path, boxes: list[Box], target: Path, dpi: int = DPI) -> int:
    """Write the redacted copy of `source` to `target`; returns its number of pages."""
    import pikepdf

    if not all(box.valid() for box in boxes):
        raise RedactionFailed(_("A mask lies outside its page."))
    try:
        src = pikepdf.open(source)
    except (pikepdf.PdfError, pikepdf.PasswordError) as exc:
        raise RedactionFailed(_("The file is not a readable PDF: %(error)s") % {
            "error": exc}) from exc
    with src, pikepdf.new() as out:
        total = len(src.pages)
        if any(box.page > total for box in boxes):
            raise RedactionFailed(_("A mask names a page the file does not have."))
        by_page: dict[int, list[Box]] = {}
        for box in boxes:
            by_page.setdefault(box.page, []).append(box)
        with tempfile.TemporaryDirectory(prefix="diarium-mask-") as tmp:
            drawn: dict[int, Path] = {}
            for first, last in _runs(list(by_page)):
                images = _draw(source, first, last, dpi, Path(tmp))
                drawn |= dict(zip(range(first, last + 1), images, strict=True))
            for number, page in enumerate(src.pages, start=1):
                if number in by_page:
                    image = drawn.pop(number)
                    out.pages.append(_masked_page(out, image.read_bytes(), by_page[number],
                                                  dpi))
                    image.unlink()  # the pixels are in the new page; free the disk
                    continue
                out.pages.append(page)
                copied = out.pages[-1]
                for key in _PAGE_EXTRAS:
                    if key in copied.obj:
                        del copied.obj[key]
        out.save(target, fix_metadata_version=False, deterministic_id=True)
        return total
