"""Package-internal paths: relative POSIX paths that cannot leave the package and mean the
same on every file system an archive may unpack them on."""

from __future__ import annotations

import re
import unicodedata

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")
MAX_PATH_CHARS = 1024
MAX_SEGMENT_CHARS = 255


class UnsafePath(ValueError):
    """A path that would point outside the package or is not portable."""


def path_problem(value: str) -> str | None:
    """Why `value` is not a safe relative package path, or None when it is."""
    if not value or not value.strip():
        return "the path is empty"
    if len(value) > MAX_PATH_CHARS:
        return f"the path is longer than {MAX_PATH_CHARS} characters"
    if "\\" in value:
        return "the path uses backslashes; use / between folders"
    if value.startswith("/") or _DRIVE.match(value) or value.startswith("~"):
        return "the path is absolute; it must be relative to the source folder"
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return "the path contains control characters"
    for segment in value.split("/"):
        if segment in ("", "."):
            return "the path has an empty or '.' folder name"
        if segment == "..":
            return "the path contains '..' and could point outside the source folder"
        if len(segment) > MAX_SEGMENT_CHARS:
            return f"a name in the path is longer than {MAX_SEGMENT_CHARS} characters"
        if segment != segment.strip() or segment.endswith("."):
            return "a name in the path begins or ends with a space or ends with a dot"
        if _WINDOWS_RESERVED.match(segment) or any(ch in segment for ch in '<>:"|?*'):
            return f"'{segment}' is not a portable file name"
    return None


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
