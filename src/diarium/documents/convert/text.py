"""The text inside a file, for the search index.

PDFs through pdftotext (poppler), office files from their own XML (DOCX, ODT, PPTX) or
cells (XLSX), e-mail from its headers and body, plain text in UTF-8 or Windows-1252.
Extraction never fails loudly for the user: a file without text gives an empty string, a
damaged one a ConversionFailed with the reason, shown on the document."""

import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree
from django.utils.translation import gettext as _

from diarium.documents.convert import mail
from diarium.documents.convert.formats import check_zip_bounds, sniff
from diarium.documents.convert.sandbox import ConversionFailed, run

MAX_CHARS = 5_000_000  # enough for a long report; the index need not hold whole databases

XML_PARTS = {
    "docx": ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml"),
    "pptx": ("ppt/slides/slide",),
    "odt": ("content.xml",), "ods": ("content.xml",), "odp": ("content.xml",),
    "xlsx": ("xl/sharedStrings.xml", "xl/worksheets/sheet"),
}


def extract_text(path: Path, name: str, workdir: Path, timeout: float = 120) -> str:
    kind = sniff(path, name).kind
    if kind == "pdf":
        text = _pdf(path, workdir, timeout)
    elif kind in XML_PARTS:
        text = _zipped_xml(path, XML_PARTS[kind])
    elif kind == "eml":
        message = mail.parse(path)
        headers = " ".join(str(message[h] or "") for h in ("From", "To", "Subject"))
        text = headers + "\n" + mail.body_text(message)
    elif kind == "txt":
        text = _plain(path)
    else:
        text = ""
    return text[:MAX_CHARS]


def _pdf(path: Path, workdir: Path, timeout: float) -> str:
    out = workdir / "text.txt"
    result = run(["pdftotext", "-enc", "UTF-8", str(path), str(out)], cwd=workdir,
                 timeout=timeout)
    if result.returncode != 0:
        raise ConversionFailed(_("The PDF's text could not be read (damaged or protected)."))
    return out.read_text(encoding="utf-8", errors="replace")


def _zipped_xml(path: Path, prefixes: tuple[str, ...]) -> str:
    pieces: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            check_zip_bounds(members, path.stat().st_size)
            for member in members:
                if member.filename.startswith(prefixes) and member.filename.endswith(".xml"):
                    pieces.append(_lines(ElementTree.fromstring(archive.read(member))))
    except (zipfile.BadZipFile, ElementTree.ParseError, DefusedXmlException) as exc:
        raise ConversionFailed(_("The office file is damaged; its text could not be read.")) \
            from exc
    return "\n".join(pieces)


PARAGRAPHS = {"p", "h"}  # w:p (Word), text:p and text:h (ODF), a:p (slides)


def _lines(root) -> str:
    """One line per paragraph (a run split inside a word stays one word), so that two
    versions' texts can be compared line by line; parts without paragraphs (cells) as
    words separated by spaces."""
    lines = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in PARAGRAPHS and not any(
            (c.tag.rsplit("}", 1)[-1] if isinstance(c.tag, str) else "") in PARAGRAPHS
            for c in element.iter() if c is not element
        ):
            line = "".join(element.itertext()).strip()
            if line:
                lines.append(line)
    if lines:
        return "\n".join(lines)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def _plain(path: Path) -> str:
    data = path.read_bytes()[: MAX_CHARS * 2]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
