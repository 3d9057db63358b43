"""The text of text-bearing files, for the search index: plain text and CSV, XML (its
character data) and PDF (its text layer, read with pypdf). At most MAX_TEXT characters are
taken from a file, and files are read as streams from the store (`opener` opens one): a
large file costs no more than its first part. pypdf needs to seek: a stream that cannot
(object storage) is spooled to a temporary file first."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from lxml import etree

from diarium.core.storage import seekable

logger = logging.getLogger(__name__)

MAX_TEXT = 1_000_000  # characters of text taken from one file
MAX_PDF_PAGES = 2000
CHUNK = 64 * 1024
_TAGS = re.compile(rb"<[^>]*>")

TEXT_TYPES = {"text/plain": "text", "text/csv": "text", "text/tab-separated-values": "text",
              "application/xml": "xml", "text/xml": "xml", "application/pdf": "pdf"}
EXTENSIONS = {".txt": "text", ".csv": "text", ".tsv": "text", ".xml": "xml", ".pdf": "pdf"}


def kind_of(path: str, mime: str) -> str | None:
    """"text", "xml", "pdf", or None for files the index does not read."""
    found = TEXT_TYPES.get((mime or "").split(";", 1)[0].strip().lower())
    return found or EXTENSIONS.get(Path(path).suffix.lower())


Opener = Callable[[], BinaryIO]


def _plain(opener: Opener) -> str:
    with opener() as stream:
        data = stream.read(MAX_TEXT * 2)
    try:
        # Incremental: a multi-byte character cut at the end of the chunk is not an error.
        return codecs.getincrementaldecoder("utf-8")().decode(data)[:MAX_TEXT]
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")[:MAX_TEXT]


def _xml(opener: Opener) -> str:
    """Character data in document order is not needed for search, so each piece is taken
    as soon as it is known and the tree is pruned as it grows: an element's text at its end,
    an element's tail when its next sibling (or its parent) ends."""
    parts: list[str] = []
    size = 0

    def add(text: str | None) -> None:
        nonlocal size
        if text and text.strip():
            parts.append(text.strip())
            size += len(parts[-1]) + 1

    try:
        with opener() as stream:
            for _event, element in etree.iterparse(
                    stream, events=("end",), resolve_entities=False, no_network=True,
                    load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True):
                add(element.text)
                for child in element:  # only the last child is left; the others were pruned
                    add(child.tail)
                element.clear(keep_tail=True)
                parent = element.getparent()
                previous = element.getprevious()
                while previous is not None and parent is not None:
                    add(previous.tail)
                    parent.remove(previous)
                    previous = element.getprevious()
                if size >= MAX_TEXT:
                    break
    except etree.XMLSyntaxError:
        with opener() as stream:
            data = stream.read(MAX_TEXT)
        return _TAGS.sub(b" ", data).decode("utf-8", errors="replace")[:MAX_TEXT]
    return " ".join(parts)[:MAX_TEXT]


def _pdf(opener: Opener) -> str:
    from pypdf import PdfReader

    parts: list[str] = []
    size = 0
    folder = Path(settings.DATA_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    with seekable(opener(), str(folder)) as stream:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            return ""
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES or size >= MAX_TEXT:
                break
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text) + 1
    return "\n".join(parts)[:MAX_TEXT]


READERS = {"text": _plain, "xml": _xml, "pdf": _pdf}


def extract_text(opener: Opener, kind: str, name: str = "") -> str:
    """The text of the file `opener` opens (at most MAX_TEXT characters); "" when it cannot
    be read. A broken file never stops indexing."""
    try:
        return READERS[kind](opener)
    except Exception as exc:  # pypdf and lxml raise many kinds of errors on bad files
        logger.info("no text from %s: %s: %s", name, type(exc).__name__, exc)
        return ""
