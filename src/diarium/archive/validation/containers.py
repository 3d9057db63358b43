"""Telling a package file's container from its own structure, not its name: a TAR by the
checksum of its first header block (also inside gzip, bzip2 or xz), a ZIP only by the end of
central directory record at the very end of the file, and only when it is not a TAR.

The order matters: a TAR whose last member is a ZIP-based file (DOCX, XLSX, ODT, SIARD, ZIP)
ends with that member's central directory, so a ZIP test that looks at the end first would
take the TAR for the member."""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
from pathlib import Path

BLOCK = 512
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_COMPRESSED = ((b"\x1f\x8b", gzip.open), (b"BZh", bz2.open),
               (b"\xfd7zXZ\x00", lzma.open))
_DECOMPRESS_ERRORS = (OSError, EOFError, lzma.LZMAError, ValueError)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


def is_tar_header(block: bytes) -> bool:
    """A TAR header block: its checksum (bytes 148-155, octal) is the sum of its bytes with
    the checksum field counted as spaces (unsigned, or signed as some old tars wrote it)."""
    if len(block) < BLOCK or not block[:100].strip(b"\0"):
        return False
    field = block[148:156].replace(b"\0", b" ").strip()
    try:
        stored = int(field, 8)
    except ValueError:
        return False
    rest = block[:148] + b" " * 8 + block[156:BLOCK]
    signed = sum(struct.unpack(f"{BLOCK}b", rest))
    return stored in (sum(rest), signed)


def _first_block(path: Path) -> bytes:
    with path.open("rb") as stream:
        head = stream.read(BLOCK)
    for magic, opener in _COMPRESSED:
        if head.startswith(magic):
            try:
                with opener(path, "rb") as stream:
                    return stream.read(BLOCK)
            except _DECOMPRESS_ERRORS:
                return b""
    return head


def ends_as_zip(path: Path) -> bool:
    """The file ends with a ZIP end of central directory record (and its comment)."""
    size = path.stat().st_size
    window = min(size, _EOCD_SIZE + _MAX_COMMENT)
    with path.open("rb") as stream:
        stream.seek(size - window)
        tail = stream.read(window)
    start = tail.rfind(_EOCD)
    while start >= 0:
        comment = int.from_bytes(tail[start + 20:start + 22], "little")
        if start + _EOCD_SIZE + comment == len(tail):
            return True
        start = tail.rfind(_EOCD, 0, start)
    return False


def container_of(path: Path) -> str | None:
    """"tar", "zip", or None (neither by its structure; then the name decides which reader
    reports it as corrupt, else it is not a package)."""
    if is_tar_header(_first_block(path)):
        return "tar"
    if ends_as_zip(path):
        return "zip"
    name = path.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith(TAR_SUFFIXES):
        return "tar"
    return None
