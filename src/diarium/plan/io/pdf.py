"""A plan version as a printable PDF: one table of record types per process, under the
headings of the classification, with the adoption decision on the first page.

The font handling (DejaVu Sans when installed, else Helvetica) is diarium.core.pdf's.

The tables are laid out here, not with fpdf2's `table()`: that one measures every cell
character by character, twice, and took 3-5 s for the sample plan's 210 record types
(bench/plan_pdf.py). Here words are measured once each (a plan repeats its words) and
lines are drawn with `text()`: the same table in a fraction of the time. A row taller than
what is left of a page goes on to the next, under the table's headings again."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from diarium.core import pdf as base
from diarium.plan import lookup
from diarium.plan import vocabulary as words
from diarium.plan.content import ProcessData, RuleData
from diarium.plan.models import PROCESS_LEVELS, process_sort_key

FONT_DIRS = list(base.FONT_DIRS)
# Column widths in millimetres on landscape A4 (277 mm between the margins).
WIDTHS = (48, 30, 18, 35, 32, 25, 25, 22, 18, 24)
NEXT_LINE = base.NEXT_LINE
LINE_HEIGHT = 3.4  # mm, at 7 pt
PADDING = 1.0  # mm inside each cell
HEADER_FILL = (225, 230, 236)


@dataclass
class PdfMeta:
    title: str  # the plan's name
    subtitle: str  # version, decision and validity


def _headings() -> list[str]:
    return [
        _("Record type"), _("Registration"), _("Secrecy"), _("Keep or dispose"),
        _("Decision or legal basis"), _("Medium and format"), _("Storage"),
        _("Delivery to the archive"), _("Personal data"), _("Remarks"),
    ]


def _registration(rule: RuleData) -> str:
    word = words.format_registration(rule.registration).capitalize()
    return f"{word}: {rule.registration_place}" if rule.registration_place else word


def rule_cells(rule: RuleData) -> list[str]:
    name = f"{rule.name}\n{rule.description}" if rule.description else rule.name
    medium = ", ".join(v for v in (rule.medium, rule.file_format) if v)
    return [
        name, _registration(rule), rule.secrecy_provision, lookup.disposition_text(rule),
        rule.legal_basis, medium, rule.storage, rule.archive_delivery,
        _("yes") if rule.personal_data else _("no"), rule.remarks,
    ]


def _make_pdf(meta: PdfMeta):
    return base.make_pdf(meta.title, orientation="L", dirs=FONT_DIRS)


def _heading(pdf, process: ProcessData) -> None:
    size = {1: 14, 2: 12}.get(process.code.count(".") + 1, 10)
    if pdf.will_page_break(size + 20):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(pdf.body_font, "B", size)
    pdf.multi_cell(0, size * 0.5, pdf.clean(f"{process.code} {process.name}"), **NEXT_LINE)


class _Layout:
    """Lines of table cells at the table's font size, words measured once per style."""

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, str], float] = {}
        self.characters: dict[tuple[str, str], float] = {}

    def width(self, word: str) -> float:
        style = self.pdf.font_style
        found = self.widths.get((style, word))
        if found is None:
            found = self.widths[(style, word)] = sum(self._character(style, c) for c in word)
        return found

    def _character(self, style: str, char: str) -> float:
        found = self.characters.get((style, char))
        if found is None:
            found = self.characters[(style, char)] = self.pdf.get_string_width(char)
        return found

    def lines(self, text: str, room: float) -> list[str]:
        """text broken into lines no wider than room: at spaces, and inside a word only
        when the word alone is wider."""
        lines: list[str] = []
        space = self.width(" ")
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split():
                size = self.width(word)
                if line and used + space + size <= room:
                    line, used = f"{line} {word}", used + space + size
                    continue
                if line:
                    lines.append(line)
                line, used = word, size
                while used > room and len(line) > 1:
                    cut = self._fitting(line, room)
                    lines.append(line[:cut])
                    line = line[cut:]
                    used = self.width(line)
            lines.append(line)
        return lines

    def _fitting(self, word: str, room: float) -> int:
        """How many leading characters of word fit in room (at least one)."""
        used = 0.0
        for n, char in enumerate(word):
            used += self.width(char)
            if used > room:
                return max(n, 1)
        return len(word)


def _draw_row(pdf, cells: list[list[str]], *, header: bool = False) -> None:
    """One row of cells (lines each) at pdf.y; the caller has made room."""
    height = max(len(lines) for lines in cells) * LINE_HEIGHT + 2 * PADDING
    x, top = pdf.l_margin, pdf.y
    baseline = 0.5 * LINE_HEIGHT + 0.3 * pdf.font_size
    for width, lines in zip(WIDTHS, cells, strict=True):
        pdf.rect(x, top, width, height, style="DF" if header else "D")
        for n, line in enumerate(lines):
            if line:
                pdf.text(x + PADDING, top + PADDING + n * LINE_HEIGHT + baseline, line)
        x += width
    pdf.set_y(top + height)


def _table(pdf, layout: _Layout, rules: list[RuleData]) -> None:
    pdf.set_fill_color(*HEADER_FILL)
    pdf.set_line_width(0.2)
    pdf.set_font(pdf.body_font, "B", 7)
    heading = [layout.lines(pdf.clean(text), width - 2 * PADDING)
               for text, width in zip(_headings(), WIDTHS, strict=True)]
    heading_height = max(len(lines) for lines in heading) * LINE_HEIGHT + 2 * PADDING

    def headings() -> None:
        pdf.set_font(pdf.body_font, "B", 7)
        _draw_row(pdf, heading, header=True)
        pdf.set_font(pdf.body_font, "", 7)

    def room() -> int:  # whole lines that fit below pdf.y on this page
        return int((pdf.page_break_trigger - pdf.y - 2 * PADDING) // LINE_HEIGHT)

    pdf.set_font(pdf.body_font, "", 7)
    rows = [[layout.lines(pdf.clean(text), width - 2 * PADDING)
             for text, width in zip(rule_cells(rule), WIDTHS, strict=True)]
            for rule in rules]
    if pdf.y + heading_height + 2 * PADDING + LINE_HEIGHT > pdf.page_break_trigger:
        pdf.add_page()
    headings()
    for cells in rows:
        needed = max(len(lines) for lines in cells)
        while needed:
            fits = room()
            if fits < needed and pdf.y > pdf.t_margin + heading_height + 0.1:
                pdf.add_page()  # start the row on a fresh page first
                headings()
                fits = room()
            if fits >= needed:
                _draw_row(pdf, cells)
                break
            _draw_row(pdf, [lines[:fits] for lines in cells])  # taller than a page
            cells = [lines[fits:] for lines in cells]
            needed -= fits
            pdf.add_page()
            headings()


def render(processes: list[ProcessData], rules: list[RuleData], meta: PdfMeta) -> bytes:
    pdf = _make_pdf(meta)
    layout = _Layout(pdf)
    pdf.add_page()
    pdf.set_font(pdf.body_font, "B", 16)
    pdf.multi_cell(0, 8, pdf.clean(meta.title), **NEXT_LINE)
    pdf.set_font(pdf.body_font, "", 10)
    pdf.multi_cell(0, 5, pdf.clean(meta.subtitle), **NEXT_LINE)
    by_process: dict[str, list[RuleData]] = {}
    for rule in rules:
        by_process.setdefault(rule.process_code, []).append(rule)
    for process in sorted(processes, key=lambda p: process_sort_key(p.code)):
        held = sorted(by_process.get(process.code, []), key=lambda r: r.name.casefold())
        if process.code.count(".") + 1 == PROCESS_LEVELS and not held:
            continue
        _heading(pdf, process)
        if held:
            _table(pdf, layout, held)
    return bytes(pdf.output())
