"""PRONOM identification from the signature table."""

import io
import zipfile

import pytest

from diarium.archive.validation.formats import identify


def _zip(first: str, content: bytes, *others: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(first), content)
        for name in others:
            archive.writestr(name, b"<x/>")
    return buffer.getvalue()


PDFA_XMP = (b'<rdf:Description xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
            b'pdfaid:part="2" pdfaid:conformance="B"/>')


@pytest.mark.parametrize(("head", "tail", "name", "puid"), [
    (b"%PDF-1.4\n%\xe2\xe3", b"", "a.pdf", "fmt/18"),
    (b"%PDF-1.7\n", b"", "a.pdf", "fmt/276"),
    (b"%PDF-1.7\n" + PDFA_XMP, b"", "a.pdf", "fmt/477"),
    (b"%PDF-1.4\n", b"<pdfaid:part>1</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>",
     "a.pdf", "fmt/95"),
    (b"\x89PNG\r\n\x1a\n....", b"", "a.png", "fmt/13"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01", b"", "a.jpg", "fmt/43"),
    (b"II*\x00\x08\x00", b"", "a.tif", "fmt/353"),
    (b'<?xml version="1.0"?><a/>', b"", "a.xml", "fmt/101"),
    (b"Hej v\xc3\xa4rlden\n", b"", "a.txt", "x-fmt/111"),
    (b"diarienummer;titel\nKS 2024/1;Beslut\n", b"", "a.csv", "x-fmt/18"),
    (_zip("[Content_Types].xml", b"<Types/>", "word/document.xml"), b"", "a.docx", "fmt/412"),
    (_zip("[Content_Types].xml", b"<Types/>", "xl/workbook.xml"), b"", "a.xlsx", "fmt/214"),
    (_zip("mimetype", b"application/vnd.oasis.opendocument.text"), b"", "a.odt", "fmt/291"),
    (_zip("a.txt", b"x"), b"", "a.zip", "x-fmt/263"),
])
def test_identify(head, tail, name, puid):
    assert identify(head, tail, name).puid == puid


def test_binary_noise_is_unknown():
    assert identify(b"\x00\x01\x02\x03", b"", "a.bin").puid == ""
