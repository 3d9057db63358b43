"""A plan version as a printable PDF: one table of record types per process, under the
headings of the classification, with the adoption decision on the first page.

The font handling (DejaVu Sans when installed, else Helvetica) is diarium.core.pdf's."""

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


def _table(pdf, rules: list[RuleData]) -> None:
    from fpdf.fonts import FontFace

    pdf.set_font(pdf.body_font, size=7)
    style = FontFace(emphasis="BOLD", fill_color=(225, 230, 236))
    with pdf.table(col_widths=WIDTHS, width=sum(WIDTHS), text_align="LEFT", v_align="TOP",
                   headings_style=style, line_height=3.4, padding=1) as table:
        header = table.row()
        for text in _headings():
            header.cell(pdf.clean(text))
        for rule in rules:
            row = table.row()
            for text in rule_cells(rule):
                row.cell(pdf.clean(text))


def render(processes: list[ProcessData], rules: list[RuleData], meta: PdfMeta) -> bytes:
    pdf = _make_pdf(meta)
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
            _table(pdf, held)
    return bytes(pdf.output())
