"""Templates: unknown fields refused at upload, missing values marked, the sandbox holds."""

import zipfile

import pytest

from diarium.documents import templating
from tests.documents import samples


def _text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode()


def test_fill_puts_values_in_and_marks_what_is_missing(tmp_path):
    template = samples.docx(tmp_path / "beslut.docx", "Dnr {{ diarienummer }}",
                            "Till {{ mottagare }}", "Handläggare: {{ handlaggare }}")
    assert templating.check_template(template) == {"diarienummer", "mottagare", "handlaggare"}
    filled = templating.fill(template, {"diarienummer": "KS 2026/42", "mottagare": "Åsa Öberg"},
                             tmp_path / "ut.docx")
    text = _text(filled.path)
    assert "Dnr KS 2026/42" in text and "Till Åsa Öberg" in text
    assert "[missing: handlaggare]" in text or "[saknas: handlaggare]" in text
    assert "handlaggare" in filled.missing and "diarienummer" not in filled.missing


def test_a_template_with_an_unknown_field_is_refused_with_its_name(tmp_path):
    template = samples.docx(tmp_path / "t.docx", "{{ diarienummer }} {{ personnummer }}")
    with pytest.raises(templating.TemplateRefused, match="personnummer"):
        templating.check_template(template)


def test_a_template_that_reaches_for_python_internals_is_refused(tmp_path):
    template = samples.docx(
        tmp_path / "evil.docx",
        "{{ diarienummer.__class__.__mro__[1].__subclasses__() }}",
    )
    with pytest.raises(templating.TemplateRefused):
        templating.fill(template, {"diarienummer": "KS 2026/1"}, tmp_path / "ut.docx")
    assert not (tmp_path / "ut.docx").exists()


def test_a_template_with_a_syntax_error_is_refused(tmp_path):
    template = samples.docx(tmp_path / "t.docx", "{{ diarienummer ")
    with pytest.raises(templating.TemplateRefused, match=r"error|fel"):
        templating.check_template(template)


def test_a_file_that_is_not_a_template_is_refused(tmp_path):
    bogus = tmp_path / "x.docx"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(templating.TemplateRefused):
        templating.check_template(bogus)
