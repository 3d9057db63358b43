"""Renditions, checks and text with the real converters (LibreOffice, OCRmyPDF, Tesseract,
poppler): what a registrator uploads, and what an attacker would."""

import shutil
from pathlib import Path

import pytest

from diarium.documents.convert import ConversionFailed, checks, formats, text
from diarium.documents.convert.pdfa import make_pdfa
from diarium.documents.convert.sandbox import private_folder
from tests.documents import samples

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("ocrmypdf") is None,
    reason="LibreOffice and OCRmyPDF are needed (apt-get install libreoffice-writer-nogui "
    "ocrmypdf tesseract-ocr-swe)",
)


@pytest.fixture
def work(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with private_folder() as folder:
        yield folder


def test_docx_becomes_a_checked_pdfa_with_its_text(work, tmp_path):
    source = samples.docx(tmp_path / "brev.docx", "Ansökan om bygglov", "Växjö älvdal ö")
    rendition = make_pdfa(source, "brev.docx", work)
    assert rendition.method == "libreoffice"
    assert rendition.report.is_pdfa and rendition.report.label == "PDF/A-2b"
    assert "Ansökan om bygglov" in text.extract_text(rendition.path, "r.pdf", work)
    assert source.read_bytes()[:2] == b"PK"  # the original is untouched


def test_text_of_office_files_is_read_from_their_xml(work, tmp_path):
    source = samples.docx(tmp_path / "a.docx", "Förskoleplats i Sjövik")
    assert "Förskoleplats i Sjövik" in text.extract_text(source, "a.docx", work)


def test_scanned_swedish_letter_gets_an_ocr_text_layer(work, tmp_path):
    scan = samples.scanned_letter(tmp_path / "scan.jpg", [
        "Till barn- och utbildningsnämnden", "Ansökan om förskoleplats för vår dotter",
        "Med vänliga hälsningar, Åsa Öberg",
    ])
    rendition = make_pdfa(scan, "scan.jpg", work)
    assert rendition.report.is_pdfa
    found = text.extract_text(rendition.path, "scan.pdf", work).lower()
    assert "förskoleplats" in found and "utbildningsnämnden" in found


def test_a_pdfa_is_kept_as_it_is(work, tmp_path):
    first = make_pdfa(samples.docx(tmp_path / "a.docx", "Beslut"), "a.docx", work)
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(first.path.read_bytes())
    again = make_pdfa(kept, "kept.pdf", work)
    assert again.method == "kept" and again.path == kept


def test_a_file_whose_name_lies_is_converted_as_what_it_is(work, tmp_path):
    pdf = make_pdfa(samples.docx(tmp_path / "a.docx", "Yttrande"), "a.docx", work).path
    liar = tmp_path / "yttrande.docx"
    liar.write_bytes(pdf.read_bytes())
    detected = formats.sniff(liar, "yttrande.docx")
    assert detected.kind == "pdf" and not detected.declared_matches
    assert make_pdfa(liar, "yttrande.docx", work).method == "kept"


def test_corrupt_docx_is_refused_with_a_reason(work, tmp_path):
    broken = samples.docx(tmp_path / "b.docx", "x")
    broken.write_bytes(broken.read_bytes()[:200])
    with pytest.raises(ConversionFailed) as err:
        make_pdfa(broken, "b.docx", work)
    assert str(err.value)


def test_zip_bomb_disguised_as_docx_is_refused_before_conversion(work, tmp_path):
    bomb = samples.zip_bomb_docx(tmp_path / "bomb.docx")
    with pytest.raises(ConversionFailed, match=r"zip.bomb"):
        make_pdfa(bomb, "bomb.docx", work)
    with pytest.raises(ConversionFailed, match=r"zip.bomb"):
        text.extract_text(bomb, "bomb.docx", work)


def test_password_protected_pdf_is_refused_with_a_reason(work, tmp_path):
    plain = make_pdfa(samples.docx(tmp_path / "a.docx", "Hemligt"), "a.docx", work).path
    locked = samples.encrypted_pdf(plain, tmp_path / "locked.pdf")
    with pytest.raises(ConversionFailed, match=r"password|lösenord"):
        make_pdfa(locked, "locked.pdf", work)


def test_checks_name_javascript(tmp_path):
    report = checks.inspect(samples.pdf_with_javascript(tmp_path / "js.pdf"))
    assert "JavaScript in the open action" in report.problems and not report.is_pdfa


def test_a_converter_that_takes_too_long_is_stopped(work, tmp_path, settings):
    settings.CONVERSION_TIMEOUT = 0.05
    with pytest.raises(ConversionFailed, match="took longer"):
        make_pdfa(samples.docx(tmp_path / "a.docx", "Långsam"), "a.docx", work)


def test_nothing_else_is_left_behind(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with private_folder() as folder:
        (folder / "x").write_text("x")
    assert list((Path(tmp_path) / "tmp").iterdir()) == []
