"""XML written as text, for the parts of a package that repeat once per file.

A package may hold 100,000 files. Building an lxml element for each of them and serialising
it cost more than copying the file, so the per-file elements (METS file, PREMIS object, ERMS
record) are formatted as text with the escaping below, and the documents around them are
built with lxml, serialised with a placeholder comment where the per-file elements go and
split there (`split_at_placeholder`). Tests compare each text fragment with the element lxml
builds from the same values."""

from __future__ import annotations

import re

PLACEHOLDER = "diarium:content"
_SPECIAL_TEXT = re.compile("[&<>\r]")
_SPECIAL_ATTRIBUTE = re.compile('[&<>"\t\n\r]')

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def text(value: str) -> str:
    """Character data, escaped as lxml escapes it."""
    return value.translate(_TEXT) if _SPECIAL_TEXT.search(value) else value


def attribute(value: str) -> str:
    """An attribute value (without its quotes), escaped as lxml escapes it."""
    return value.translate(_ATTRIBUTE) if _SPECIAL_ATTRIBUTE.search(value) else value


def attributes(pairs: list[tuple[str, str]]) -> str:
    """' name="value"' for every pair with a value (as the lxml builders leave out empty
    attributes)."""
    return "".join(f' {name}="{attribute(value)}"' for name, value in pairs if value)


def split_at_placeholder(document: bytes) -> tuple[bytes, bytes]:
    """(what comes before, what comes after) the placeholder comment in `document`."""
    marker = f"<!--{PLACEHOLDER}-->".encode()
    before, found, after = document.partition(marker)
    if not found:
        raise ValueError("the placeholder is missing")
    return before, after
