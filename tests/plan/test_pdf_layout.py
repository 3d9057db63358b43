"""The plan's PDF lays out its own tables (diarium.plan.io.pdf): every cell's text is in
the PDF, a row taller than a page goes on over pages under repeated headings, and the tables'
text is not measured over and over (each character's width is asked of the font once per
style; fpdf2's table() asked over 300,000 times for the sample plan, taking 3-5 s)."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.utils import translation
from fpdf.fonts import CoreFont, TTFFont
from pypdf import PdfReader

from diarium.plan.content import ProcessData, RuleData
from diarium.plan.io import parsing, pdf, reading
from diarium.plan.sample import BASE_FILE


def text_of(data: bytes) -> tuple[int, str]:
    pages = PdfReader(io.BytesIO(data)).pages
    return len(pages), " ".join(" ".join(p.extract_text() for p in pages).split())


def rule(name: str, **fields) -> RuleData:
    return RuleData(process_code="1.1.1", name=name, registration="registered",
                    disposition="keep", **fields)


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


PROCESSES = [ProcessData("1", "Ledning"), ProcessData("1.1", "Styra"),
             ProcessData("1.1.1", "Besluta om styrdokument")]


def test_every_cell_is_in_the_pdf_wrapped_inside_its_column():
    rules = [rule("Remissvar", description="Nämndens yttrande över remisser från andra "
                  "myndigheter och från kommunfullmäktige", legal_basis="Arkivlagen (1990:782)",
                  remarks="Långordsprovet: Sjukfrånvaroanmälningsblankettsinnehållsförteckning"),
             rule("Delegationsbeslut", secrecy_provision="OSL 39:3", personal_data=True)]
    pages, content = text_of(pdf.render(PROCESSES, rules, pdf.PdfMeta("Plan för KS", "v1")))
    assert pages == 1
    for expected in ("Plan för KS", "1.1.1 Besluta om styrdokument", "Remissvar",
                     "Arkivlagen (1990:782)", "Delegationsbeslut", "OSL 39:3"):
        assert expected in content, expected
    # A word wider than its column is broken inside the word, nothing is lost.
    assert "Sjukfrånvaroanmälningsblankettsinnehållsförteckning" in content.replace(" ", "")


def test_a_row_taller_than_a_page_goes_on_under_repeated_headings():
    long = " ".join(f"Rad{n} med text som fyller kolumnen." for n in range(400))
    rules = [rule("Förstaposten"), rule("Jätteposten", remarks=long), rule("Sistaposten")]
    pages, content = text_of(pdf.render(PROCESSES, rules, pdf.PdfMeta("Plan", "v1")))
    assert pages >= 3
    assert "Rad0 " in content and "Rad399 " in content and "Sistaposten" in content
    assert content.count("Handlingstyp") >= pages - 1  # the headings on every table page


def test_table_text_is_measured_once_per_character():
    parsed = parsing.parse_table(reading.read_table(BASE_FILE.read_bytes(), "csv"))
    calls = {"n": 0}
    originals = {cls: cls.get_text_width for cls in (TTFFont, CoreFont)}

    def counting(cls):
        def measure(self, *args, **kwargs):
            calls["n"] += 1
            return originals[cls](self, *args, **kwargs)
        return measure

    with mock.patch.object(TTFFont, "get_text_width", counting(TTFFont)), \
            mock.patch.object(CoreFont, "get_text_width", counting(CoreFont)):
        data = pdf.render(parsed.processes, parsed.rules, pdf.PdfMeta("Plan", "v1"))
    assert data[:5] == b"%PDF-"
    assert len(parsed.rules) > 200
    # Each character once per style in the tables, plus the process headings and the
    # footers (fpdf2's multi_cell): some thousands, where table() took over 300,000.
    assert calls["n"] < 20000, calls["n"]
