"""PDFs in Swedish with fpdf2, shared by every app that prints one (the plan, the
disposal certificate).

fpdf2 writes the PDF in pure Python. Swedish text needs a Unicode font: DejaVu Sans (the
Debian package fonts-dejavu-core) is embedded when present; without it the PDF falls back
to the built-in Helvetica, which covers å, ä, ö and § (Latin-1) but not every character,
and `clean()` replaces the rest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
FONT = "DejaVuSans.ttf"
BOLD_FONT = "DejaVuSans-Bold.ttf"
NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}  # after a paragraph, go on below it


def font_dir(dirs: Sequence[Path] | None = None) -> Path | None:
    """The first folder holding both DejaVu Sans files, or None."""
    for folder in FONT_DIRS if dirs is None else dirs:
        if (folder / FONT).is_file() and (folder / BOLD_FONT).is_file():
            return folder
    return None


def make_pdf(title: str, *, orientation: str = "P", dirs: Sequence[Path] | None = None,
             footer_title: str | None = None) -> Any:
    """An A4 document with DejaVu Sans when available, Swedish as its language, and a
    footer "<title>, page N of M". Use `pdf.body_font` and `pdf.clean(text)`."""
    from fpdf import FPDF

    label = footer_title if footer_title is not None else title

    class DiariumPdf(FPDF):
        unicode_font = False
        body_font = "helvetica"

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(self.body_font, size=7)
            text = _("%(title)s, page %(page)s of %(pages)s") % {
                "title": label, "page": self.page_no(), "pages": "{nb}"}
            self.cell(0, 8, self.clean(text), align="C")

        def clean(self, text: str) -> str:
            if self.unicode_font:
                return text
            text = text.replace("–", "-").replace("—", "-").replace("’", "'")
            return text.encode("latin-1", "replace").decode("latin-1")

    pdf = DiariumPdf(orientation=orientation, unit="mm", format="A4")
    folder = font_dir(dirs)
    if folder is not None:
        pdf.add_font("DejaVu", "", str(folder / FONT))
        pdf.add_font("DejaVu", "B", str(folder / BOLD_FONT))
        pdf.unicode_font, pdf.body_font = True, "DejaVu"
    pdf.set_title(pdf.clean(title))
    pdf.set_lang("sv")
    pdf.set_creator("Diarium")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(10, 10, 10)
    return pdf
