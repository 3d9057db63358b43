"""The board's PDF/A-2b documents: the kallelse, the minutes and the extracts.

The pages Diarium writes itself are laid out with fpdf2 (core/pdf.py, DejaVu Sans
embedded); the documents sent with an item are their checked PDF/A renditions, appended
with pikepdf. The result is then identified as PDF/A-2b (XMP pdfaid, an sRGB output
intent) and checked with the documents app's PDF/A checks before it is registered."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pikepdf
from django.utils.translation import gettext as _

from diarium.core.pdf import NEXT_LINE, make_pdf
from diarium.documents.convert import checks


@dataclass(frozen=True)
class Section:
    """A heading and its paragraphs of text, in the order they are printed."""

    heading: str
    lines: tuple[str, ...] = ()


def layout(title: str, header: str, sections: Iterable[Section]) -> bytes:
    """A plain document: the authority's heading, the title, then each section."""
    pdf = make_pdf(title)
    pdf.add_page()
    pdf.set_font(pdf.body_font, size=9)
    pdf.cell(0, 6, pdf.clean(header), **NEXT_LINE)
    pdf.set_font(pdf.body_font, "B", size=16)
    pdf.multi_cell(0, 9, pdf.clean(title), **NEXT_LINE)
    pdf.ln(3)
    for section in sections:
        pdf.set_font(pdf.body_font, "B", size=12)
        pdf.multi_cell(0, 7, pdf.clean(section.heading), **NEXT_LINE)
        pdf.set_font(pdf.body_font, size=10)
        for line in section.lines:
            pdf.multi_cell(0, 5.5, pdf.clean(line), **NEXT_LINE)
        pdf.ln(2)
    return bytes(pdf.output())


def _srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make_pdfa(first: bytes, appended: Iterable[BinaryIO] = (), *, title: str) -> bytes:
    """`first` followed by the pages of each appended PDF, identified as PDF/A-2b.
    Raises ValueError when the result does not pass the PDF/A checks."""
    with pikepdf.open(io.BytesIO(first)) as pdf:
        for stream in appended:
            with pikepdf.open(stream) as other:
                pdf.pages.extend(other.pages)
        _identify(pdf, title)
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=True, deterministic_id=True)
    data = out.getvalue()
    _check(data)
    return data


def _identify(pdf: pikepdf.Pdf, title: str) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["xmp:CreatorTool"] = "Diarium"
    profile = pikepdf.Stream(pdf, _srgb_profile())
    profile["/N"] = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB"),
        DestOutputProfile=profile)
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    # Pages appended from renditions may carry their own intents; one for the file.
    for page in pdf.pages:
        if "/OutputIntents" in page.obj:
            del page.obj["/OutputIntents"]


def _check(data: bytes) -> None:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        report = checks.inspect(Path(tmp.name))
    if not report.is_pdfa:
        raise ValueError(_("The document did not pass the PDF/A checks: %(problems)s")
                         % {"problems": "; ".join(report.problems)})


def concatenate(parts: Iterable[bytes]) -> bytes:
    """The pages of each PDF in turn, as one PDF (identified later by make_pdfa)."""
    sources = [pikepdf.open(io.BytesIO(part)) for part in parts]
    try:
        with pikepdf.new() as pdf:
            for other in sources:
                pdf.pages.extend(other.pages)
            out = io.BytesIO()
            pdf.save(out)
    finally:
        for other in sources:
            other.close()
    return out.getvalue()


def simple_pdfa(title: str, header: str, sections: Iterable[Section]) -> bytes:
    return make_pdfa(layout(title, header, sections), title=title)
