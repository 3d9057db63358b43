"""Masking removes the text under the masks: neither pdftotext nor pypdf finds it in the
copy, nor its metadata. What the method guarantees (disclosure/redaction.py): a masked
page keeps no text at all (it becomes an image); unmasked pages keep theirs."""

import io
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from diarium.disclosure import redaction
from diarium.disclosure.redaction import Box, RedactionFailed
from tests.conftest import require
from tests.disclosure.pdfs import SECRET_BOX, letter

SECRET = "Personnummer 19800101-1234 Hemlig Adress"
PUBLIC = "Offentlig rubrik"


@pytest.fixture(autouse=True)
def poppler():
    require(shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None,
            "poppler-utils not installed (apt-get install poppler-utils)")


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True).stdout.decode()


def pypdf_text(path) -> str:
    reader = PdfReader(str(path))
    words = [page.extract_text() for page in reader.pages]
    words.append(str(reader.metadata or ""))
    return "\n".join(words)


def raw(path) -> bytes:
    return path.read_bytes()


def test_text_under_a_mask_is_gone_and_text_elsewhere_stays(tmp_path):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(letter(SECRET, PUBLIC))
    assert "Hemlig" in pdftotext(source)  # the test PDF really holds the words
    pages = redaction.redact(source, [Box(1, *SECRET_BOX)], target)
    assert pages == 2
    for text in (pdftotext(target), pypdf_text(target)):
        assert "Hemlig" not in text and "19800101" not in text
    # Not even in the file's bytes (uncompressed or in metadata).
    assert b"Hemlig" not in raw(target)
    # The unmasked page 2 keeps its text as text; page 1 is an image only.
    reader = PdfReader(str(target))
    assert f"{PUBLIC} sida 2" in reader.pages[1].extract_text()
    assert reader.pages[0].extract_text().strip() == ""


def test_masked_area_is_black_and_the_rest_is_drawn(tmp_path):
    from PIL import Image

    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(letter(SECRET, PUBLIC))
    redaction.redact(source, [Box(1, *SECRET_BOX)], target)
    image = Image.open(io.BytesIO(redaction.render_page(target, 1, dpi=50))).convert("L")
    w, h = image.size
    left, top, right, bottom = SECRET_BOX
    centre = image.getpixel((int((left + right) / 2 * w), int((top + bottom) / 2 * h)))
    assert centre < 40  # black under the mask
    corner = image.getpixel((int(0.5 * w), int(0.9 * h)))
    assert corner > 200  # white paper elsewhere
    # The public line above the mask is still drawn (dark pixels in its band).
    band = [image.getpixel((x, y)) for x in range(int(0.07 * w), int(0.5 * w))
            for y in range(int(0.10 * h), int(0.14 * h))]
    assert min(band) < 128


def test_bad_input_is_refused(tmp_path):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(letter(SECRET, PUBLIC, pages=1))
    with pytest.raises(RedactionFailed):
        redaction.redact(source, [Box(2, 0.1, 0.1, 0.2, 0.2)], target)  # no such page
    with pytest.raises(RedactionFailed):
        redaction.redact(source, [Box(1, 0.5, 0.1, 0.2, 0.2)], target)  # inside out
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(RedactionFailed):
        redaction.redact(garbage, [Box(1, 0.1, 0.1, 0.2, 0.2)], target)
    assert not target.exists()  # nothing half-written


WORDS = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=6, max_size=12)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(secret=WORDS)
def test_any_masked_word_is_unrecoverable(tmp_path, secret):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(letter(secret, PUBLIC, pages=1))
    redaction.redact(source, [Box(1, *SECRET_BOX)], target)
    assert secret not in pdftotext(target) and secret not in pypdf_text(target)
    assert secret.encode() not in raw(target)
