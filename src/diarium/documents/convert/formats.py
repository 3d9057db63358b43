"""What a file really is, read from its bytes rather than its name.

A file whose extension lies is converted as what it is (or refused when it is nothing we
convert), and ZIP-based office files are opened only after their central directory shows
that unpacking them stays within bounds: a zip bomb disguised as a DOCX is refused before
LibreOffice ever sees it."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from diarium.documents.convert.sandbox import ConversionFailed

# Unpacked size a ZIP-based office file may reach, and its ratio to the packed size.
MAX_UNPACKED = 512 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 20_000

OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OFFICE = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "rtf", "doc", "xls", "ppt", "txt"}
IMAGES = {"jpeg", "png", "tiff"}
MAIL_HEADERS = (b"from:", b"to:", b"subject:", b"date:", b"message-id:", b"received:",
                b"mime-version:", b"return-path:", b"delivered-to:")


class UnknownFormat(ConversionFailed):
    """Content that is nothing Diarium converts (it is kept as it is, without a rendition);
    a damaged file of a known kind raises ConversionFailed itself."""


@dataclass(frozen=True)
class Format:
    kind: str  # pdf, docx, xlsx, pptx, odt, ods, odp, rtf, doc, jpeg, png, tiff, eml, txt
    declared_matches: bool


def sniff(path: Path, name: str = "") -> Format:
    """The file's kind from its content; `declared_matches` says whether its name agrees."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = _kind(path, head)
    suffix = Path(name or path.name).suffix.lower().lstrip(".")
    aliases = {"jpg": "jpeg", "tif": "tiff", "text": "txt", "csv": "txt", "msg": "eml"}
    return Format(kind, aliases.get(suffix, suffix) == kind)


def _kind(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # OLE2: legacy Word/Excel/PowerPoint (or Outlook .msg)
    if _looks_like_mail(head):
        return "eml"
    if _is_text(head):
        return "txt"
    raise UnknownFormat(_("The file's content is not a format that can be converted."))


def _looks_like_mail(head: bytes) -> bool:
    lines = head.lower().splitlines()[:30]
    return sum(line.startswith(MAIL_HEADERS) for line in lines) >= 2


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            check_zip_bounds(members, path.stat().st_size)
            names = {m.filename for m in members}
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF:
                    return ODF[mimetype]
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except zipfile.BadZipFile as exc:
        raise ConversionFailed(_("The file is a damaged ZIP or office file.")) from exc
    raise UnknownFormat(_("The file is a ZIP archive, not an office document."))


def check_zip_bounds(members: list[zipfile.ZipInfo], packed_size: int) -> None:
    """Refuse a ZIP whose members would unpack beyond the limits (a zip bomb)."""
    unpacked = sum(m.file_size for m in members)
    if (
        len(members) > MAX_MEMBERS
        or unpacked > MAX_UNPACKED
        or unpacked > MAX_RATIO * max(packed_size, 1)
    ):
        raise ConversionFailed(
            _("The file would unpack to far more than its size (a zip bomb?) and is refused.")
        )
