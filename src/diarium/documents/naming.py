"""Naming rules (namnsättning): a record type's pattern such as
`{diarienummer} {handlingstyp} {datum}` gives new documents their titles and downloads,
exports and archive packages their file names.

File names are made safe on Windows, macOS and Linux: no reserved characters or control
characters, no reserved device names (CON, NUL, COM1 …), no trailing dots or spaces, at
most 200 bytes in UTF-8 (room for a path), and unique within a case ("namn (2).pdf")."""

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

RESERVED_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
BIDI_AND_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT")
                                                 for n in range(1, 10)}
MAX_BYTES = 200

# The fields a rule may use, with what each is filled with (registry/naming.py fills them).
FIELDS = {
    "diarienummer": "the document's number, e.g. KS 2026/42:3",
    "ärendenummer": "the case's number, e.g. KS 2026/42",
    "handlingstyp": "the record type's name in the plan",
    "datum": "the document's date, YYYY-MM-DD",
    "riktning": "inkommande, utgående or upprättad",
    "motpart": "the sender or recipient",
    "myndighet": "the authority's code, e.g. KS",
}


class RuleRefused(ValueError):
    """A naming rule that uses a field that does not exist."""


def fields_of(rule: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(rule) if name}


def check_rule(rule: str, known: Iterable[str]) -> None:
    """Refuse a rule with an unknown field, or with a format or conversion (`{datum:%Y}`,
    `{x!r}`): a rule names fields, nothing else."""
    try:
        parts = list(string.Formatter().parse(rule))
    except ValueError as exc:
        raise RuleRefused(_("The naming rule is malformed: %(error)s") % {"error": exc}) \
            from exc
    fields = [(name, spec, conv) for _text, name, spec, conv in parts if name is not None]
    if any(spec or conv or not name for name, spec, conv in fields):
        raise RuleRefused(_("A naming rule names fields only, e.g. {diarienummer}."))
    unknown = sorted(fields_of(rule) - set(known))
    if unknown:
        raise RuleRefused(_("The naming rule uses fields that do not exist: %(names)s")
                          % {"names": ", ".join(unknown)})


def apply_rule(rule: str, values: Mapping[str, object]) -> str:
    """The title a rule gives: fields filled in, empty fields and extra spaces dropped."""
    filled = rule.format_map({name: values.get(name) or "" for name in fields_of(rule)})
    return re.sub(r"\s+", " ", filled).strip(" -_")


def safe_file_name(title: str, extension: str = "") -> str:
    """A file name made from `title` that every common file system accepts."""
    name = unicodedata.normalize("NFC", title)
    name = BIDI_AND_INVISIBLE.sub("", name)
    name = RESERVED_CHARS.sub("_", name).strip(" .")
    extension = RESERVED_CHARS.sub("", extension.lstrip(".")).strip(" .")
    suffix = f".{extension}" if extension else ""
    budget = MAX_BYTES - len(suffix.encode())
    while len(name.encode()) > budget:
        name = name[:-1]
    name = name.rstrip(" .") or "namnlos"
    if name.split(".")[0].upper() in RESERVED_NAMES:
        name = f"_{name}"
    return name + suffix


def unique_in(name: str, taken: Iterable[str]) -> str:
    """`name`, or `name (2)`, `name (3)` … whichever no other file of the case has (case
    is ignored, as Windows and macOS ignore it)."""
    used = {t.casefold() for t in taken}
    if name.casefold() not in used:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    number = 2
    while True:
        candidate = f"{stem} ({number})" + (f".{extension}" if extension else "")
        if candidate.casefold() not in used:
            return candidate
        number += 1
