"""Format identification with PRONOM identifiers (PUIDs) from a small signature table of our
own: the formats a Swedish municipality actually delivers to its e-archive. Identification
looks at the first 64 KiB (and, for PDF, the last 64 KiB) read during the checksum pass."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    puid: str
    name: str
    version: str = ""
    mimetype: str = ""


UNKNOWN = Format("", "Unknown")
_PDF_VERSIONS = {"1.0": "fmt/14", "1.1": "fmt/15", "1.2": "fmt/16", "1.3": "fmt/17",
                 "1.4": "fmt/18", "1.5": "fmt/19", "1.6": "fmt/20", "1.7": "fmt/276",
                 "2.0": "fmt/1129"}
_PDFA = {("1", "A"): "fmt/95", ("1", "B"): "fmt/354", ("2", "A"): "fmt/476",
         ("2", "B"): "fmt/477", ("2", "U"): "fmt/478", ("3", "A"): "fmt/479",
         ("3", "B"): "fmt/480", ("3", "U"): "fmt/481"}
_PDFA_PART = re.compile(rb"pdfaid:part(?:>|=['\"])\s*(\d)")
_PDFA_CONFORMANCE = re.compile(rb"pdfaid:conformance(?:>|=['\"])\s*([ABUabu])")
_JFIF = {(1, 0): "fmt/42", (1, 1): "fmt/43", (1, 2): "fmt/44"}
_OOXML = (
    (b"word/", Format("fmt/412", "Microsoft Word for Windows", "2007 onwards",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
    (b"xl/", Format("fmt/214", "Microsoft Excel for Windows", "2007 onwards",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
    (b"ppt/", Format("fmt/215", "Microsoft PowerPoint for Windows", "2007 onwards",
                     "application/vnd.openxmlformats-officedocument.presentationml.presentation")),
)
_ODF = {
    b"application/vnd.oasis.opendocument.text": Format(
        "fmt/291", "OpenDocument Text", "1.2", "application/vnd.oasis.opendocument.text"),
    b"application/vnd.oasis.opendocument.spreadsheet": Format(
        "fmt/295", "OpenDocument Spreadsheet", "1.2",
        "application/vnd.oasis.opendocument.spreadsheet"),
    b"application/vnd.oasis.opendocument.presentation": Format(
        "fmt/293", "OpenDocument Presentation", "1.2",
        "application/vnd.oasis.opendocument.presentation"),
}
_SIMPLE = (
    (b"\x89PNG\r\n\x1a\n", Format("fmt/13", "Portable Network Graphics", "1.2", "image/png")),
    (b"II*\x00", Format("fmt/353", "Tagged Image File Format", "", "image/tiff")),
    (b"MM\x00*", Format("fmt/353", "Tagged Image File Format", "", "image/tiff")),
    (b"GIF87a", Format("fmt/3", "Graphics Interchange Format", "87a", "image/gif")),
    (b"GIF89a", Format("fmt/4", "Graphics Interchange Format", "89a", "image/gif")),
    (b"\x1f\x8b", Format("x-fmt/266", "GZIP Format", "", "application/gzip")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     Format("fmt/111", "OLE2 Compound Document Format", "", "application/x-ole-storage")),
)


def _pdf(head: bytes, tail: bytes) -> Format:
    match = re.match(rb"%PDF-(\d\.\d)", head)
    version = match.group(1).decode() if match else ""
    part = _PDFA_PART.search(head) or _PDFA_PART.search(tail)
    conformance = _PDFA_CONFORMANCE.search(head) or _PDFA_CONFORMANCE.search(tail)
    if part and conformance:
        key = (part.group(1).decode(), conformance.group(1).decode().upper())
        if key in _PDFA:
            return Format(_PDFA[key], "Acrobat PDF/A - Portable Document Format",
                          f"{key[0]}{key[1].lower()}", "application/pdf")
    return Format(_PDF_VERSIONS.get(version, "fmt/276" if version else ""),
                  "Acrobat PDF - Portable Document Format", version, "application/pdf")


def _jpeg(head: bytes) -> Format:
    if head[6:11] == b"JFIF\x00" and len(head) >= 13:
        version = (head[11], head[12])
        return Format(_JFIF.get(version, "fmt/43"), "JPEG File Interchange Format",
                      f"{version[0]}.{version[1]:02d}", "image/jpeg")
    if head[6:11] == b"Exif\x00":
        return Format("fmt/645", "Exchangeable Image File Format (Compressed)", "",
                      "image/jpeg")
    return Format("fmt/41", "Raw JPEG Stream", "", "image/jpeg")


def _zip(head: bytes) -> Format:
    if head[30:38] == b"mimetype":
        for mimetype, found in _ODF.items():
            if head[38:38 + len(mimetype)] == mimetype:
                return found
    if b"[Content_Types].xml" in head:
        for marker, found in _OOXML:
            if marker in head:
                return found
    return Format("x-fmt/263", "ZIP Format", "", "application/zip")


_XSD = Format("x-fmt/280", "XML Schema Definition", "", "application/xml")
_XML = Format("fmt/101", "Extensible Markup Language", "1.0", "application/xml")
_CSV = Format("x-fmt/18", "Comma Separated Values", "", "text/csv")
_JSON = Format("fmt/817", "JSON Data Interchange Format", "", "application/json")
_PLAIN_TEXT = Format("x-fmt/111", "Plain Text File", "", "text/plain")


def _text(head: bytes, suffix: str) -> Format:
    if b"\x00" in head:
        return UNKNOWN
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 64 KiB boundary
            try:
                text = head.decode("cp1252")
            except UnicodeDecodeError:
                return UNKNOWN
        else:
            text = head[: exc.start].decode("utf-8")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<?xml") or (stripped.startswith("<") and suffix in {".xml", ".xsd"}):
        return _XSD if suffix == ".xsd" else _XML
    if suffix == ".csv":
        return _CSV
    if suffix == ".json" and stripped[:1] in "{[":
        return _JSON
    return _PLAIN_TEXT


def identify(head: bytes, tail: bytes = b"", name: str = "") -> Format:
    """The PRONOM format of a file from its first (and last) bytes and its name."""
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    suffix = base[dot:].lower() if 0 < dot < len(base) - 1 else ""  # as PurePosixPath.suffix
    if head.startswith(b"%PDF-"):
        return _pdf(head, tail)
    if head.startswith(b"\xff\xd8\xff"):
        return _jpeg(head)
    if head.startswith(b"PK\x03\x04"):
        return _zip(head)
    for magic, found in _SIMPLE:
        if head.startswith(magic):
            return found
    if len(head) > 262 and head[257:262] == b"ustar":
        return Format("x-fmt/265", "Tape Archive Format", "", "application/x-tar")
    if not head:
        return UNKNOWN
    return _text(head, suffix)
