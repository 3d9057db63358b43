"""Package-internal paths: relative POSIX paths that cannot leave the package and mean the
same on every file system an archive may unpack them on.

Names with invisible formatting characters are allowed but worth a warning
(`disguising_characters`): a right-to-left override shows "rapport\u202Efdp.exe" as
"rapportexe.pdf", and zero-width characters make two names look alike. Messages are in the
active language (gettext)."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
# The common case, checked at once: folder and file names of letters, digits, '-', '_' and
# inner dots, none of them a Windows device name.
_PLAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*(?:/[\w-]+(?:\.[\w-]+)*)*")
_DEVICE = re.compile(r"(?:^|/)(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:[./]|$)", re.IGNORECASE)
MAX_PATH_CHARS = 1024
MAX_SEGMENT_CHARS = 255


class UnsafePath(ValueError):
    """A path that would point outside the package or is not portable."""


def path_problem(value: str) -> str | None:
    """Why `value` is not a safe relative package path (in the active language), or None
    when it is."""
    if (_PLAIN.fullmatch(value) and len(value) <= MAX_PATH_CHARS
            and not _DEVICE.search(value)
            and all(len(s) <= MAX_SEGMENT_CHARS for s in value.split("/"))):
        return None
    if not value or not value.strip():
        return _("The path is empty.")
    if len(value) > MAX_PATH_CHARS:
        return _("The path is longer than %(n)s characters.") % {"n": MAX_PATH_CHARS}
    if "\\" in value:
        return _("The path uses backslashes; use / between folders.")
    if value.startswith("/") or _DRIVE.match(value) or value.startswith("~"):
        return _("The path is absolute; it must be relative to the source folder.")
    if _CONTROL.search(value):
        return _("The path contains control characters.")
    for segment in value.split("/"):
        if segment in ("", "."):
            return _("The path has an empty or '.' folder name.")
        if segment == "..":
            return _("The path contains '..' and could point outside the source folder.")
        if len(segment) > MAX_SEGMENT_CHARS:
            return _("A name in the path is longer than %(n)s characters.") % {
                "n": MAX_SEGMENT_CHARS}
        if segment != segment.strip() or segment.endswith("."):
            return _("A name in the path begins or ends with a space or ends with a dot.")
        if _WINDOWS_RESERVED.match(segment) or any(ch in segment for ch in '<>:"|?*'):
            return _("'%(name)s' is not a portable file name.") % {"name": segment}
    return None


# Invisible characters that change how a name is shown: the bidirectional controls (Unicode
# Bidi_Control) and the zero-width ones. Every other format character (category Cf, e.g. a
# soft hyphen) is invisible too and is reported the same way.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")


def disguising_characters(value: str) -> list[str]:
    """The invisible characters in `value` that can disguise a name or its extension, as
    'U+202E RIGHT-TO-LEFT OVERRIDE' (each once, in order of appearance)."""
    found: dict[str, None] = {}
    if value.isascii():
        return []
    for ch in value:
        if ch in BIDI_CONTROLS or ch in ZERO_WIDTH or unicodedata.category(ch) == "Cf":
            found.setdefault(f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip())
    return list(found)


def name_warning(value: str) -> str | None:
    """A warning (in the active language) when `value` has disguising characters."""
    found = disguising_characters(value)
    if not found:
        return None
    return _("The path contains invisible characters that can disguise the file's name or "
             "extension: %(chars)s. Check the file and rename it if you can.") % {
        "chars": ", ".join(found)}


def safe_relative(value: str) -> str:
    """The path, NFC-normalised, or UnsafePath."""
    normalised = unicodedata.normalize("NFC", value)
    problem = path_problem(normalised)
    if problem:
        raise UnsafePath(f"{value!r}: {problem}")
    return normalised


def portable_name(name: str, fallback: str = "fil") -> str:
    """A single safe file name made from a sender's name (for files whose names come from
    the registry rather than from a person choosing a path)."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = "".join("_" if (ch in '<>:"|?*' or unicodedata.category(ch) == "Cc") else ch
                   for ch in base).strip().strip(".") or fallback
    if _WINDOWS_RESERVED.match(base):
        base = f"_{base}"
    if len(base) > MAX_SEGMENT_CHARS:
        stem, dot, ext = base.rpartition(".")
        ext = ext[:20] if dot else ""
        base = (stem if dot else base)[: MAX_SEGMENT_CHARS - len(ext) - 1] + (
            f".{ext}" if ext else "")
    return base
