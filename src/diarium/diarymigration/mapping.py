"""The mapping file: how another system's export differs from Diarium's own CSV format
(docs/migrate-diary.md). It renames columns, adds words for codes, names the files and
sets how the files are written. YAML:

    system: Public 360
    encoding: cp1252
    delimiter: ";"
    files: {cases: Arenden.csv, documents: Handlingar.csv, parties: Parter.csv,
            folder: Filer}
    diary_number_pattern: '^(?P<series>[A-Z]+) (?P<year>\\d{4})-(?P<number>\\d+)$'
    date_formats: ["%d.%m.%Y", "%d.%m.%Y %H:%M"]
    list_separator: "|"
    columns:
      cases: {Diarienummer: diary_number, Ärendemening: title}
    codes:
      status: {Avslutat: closed, "Under handläggning": open}
      series: {KSA: KS}
      record_type: {Ärendedokument: ""}

or CSV with the columns section, from, to (`setting;system;Public 360`,
`cases;Diarienummer;diary_number`, `status;Avslutat;closed`, `file;cases;Arenden.csv`)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from . import values
from .report import Issue

# The columns of Diarium's own CSV format, per file (docs/migrate-diary.md).
SECRECY = ("secrecy_provision", "secrecy_marked_on", "withhold", "withhold_title",
           "withhold_parties", "withhold_files")
COLUMNS = {
    "cases": ("case_id", "diary_number", "series", "year", "number", "title", "public_title",
              "classification", "status", "opened", "closed", "closing_note", "voided",
              "void_reason", "follow_up", "responsible_officer", *SECRECY),
    "documents": ("case_id", "diary_number", "document_id", "number", "direction",
                  "record_type", "title", "public_title", "document_date", "registered",
                  "sender_recipient", "status", "voided", "void_reason", "files", *SECRECY),
    "parties": ("case_id", "diary_number", "party_id", "kind", "name", "identity_number",
                "role", "address", "postal_code", "city", "email", "phone"),
}
FILES = {"cases": "cases.csv", "documents": "documents.csv", "parties": "parties.csv",
         "folder": "files"}
# Code fields; series and record_type take any target (a series code, a record type's name
# in the plan, or "" for none), the others one of Diarium's codes.
CODE_FIELDS = ("status", "document_status", "direction", "kind", "series", "record_type")
FREE_CODES = ("series", "record_type")
SETTINGS = ("system", "encoding", "delimiter", "diary_number_pattern", "date_format",
            "list_separator")
MAX_BYTES = 1024 * 1024


class MappingError(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class Mapping:
    system: str = ""
    encoding: str = "utf-8-sig"
    delimiter: str = ""  # "": told from the header line (";" or ",")
    diary_number_pattern: re.Pattern = values.DIARY_NUMBER
    date_formats: tuple[str, ...] = ()
    list_separator: str = "|"
    files: dict[str, str] = field(default_factory=lambda: dict(FILES))
    # Per file: the export's column name (casefolded) -> Diarium's column.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    # Per code field: the export's word (casefolded) -> the code.
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def column(self, file: str, header: str) -> str:
        """Diarium's name for a column of the export ("" when it is none of ours)."""
        name = " ".join(header.split())
        renamed = self.columns.get(file, {}).get(name.casefold())
        if renamed:
            return renamed
        name = name.casefold()
        return name if name in COLUMNS[file] else ""

    def words(self, code_field: str) -> dict[str, str]:
        return self.codes.get(code_field, {})


def load(path: Path | None) -> Mapping:
    """The mapping in a YAML (.yaml, .yml) or CSV file; the default mapping for None."""
    if path is None:
        return Mapping()
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MappingError([Issue(name, None, None, str(exc))]) from exc
    if len(data) > MAX_BYTES:
        raise MappingError([Issue(name, None, None, _("The mapping file is too large."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError([Issue(name, None, None, _("The mapping file is not UTF-8."))]
                           ) from exc
    if path.suffix.casefold() in (".yaml", ".yml"):
        entries = _yaml_entries(name, text)
    else:
        entries = _csv_entries(text)
    return _build(name, entries)


def _yaml_entries(name: str, text: str) -> list[tuple[int | None, str, str, str]]:
    """(row, section, from, to) from the YAML form. Every value is read as text."""
    try:
        data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 (strings only)
    except yaml.YAMLError as exc:
        raise MappingError([Issue(name, None, None, str(exc))]) from exc
    if not isinstance(data, dict):
        raise MappingError([Issue(name, None, None, _("The mapping is no YAML mapping."))])
    entries: list[tuple[int | None, str, str, str]] = []
    for key, value in data.items():
        if key in ("columns", "codes", "files"):
            if not isinstance(value, dict):
                raise MappingError([Issue(name, None, key, _("Give a mapping here."))])
            for section, inner in value.items():
                if key == "files":
                    entries.append((None, "file", section, inner))
                    continue
                if not isinstance(inner, dict):
                    raise MappingError([Issue(name, None, f"{key}.{section}",
                                              _("Give a mapping here."))])
                entries += [(None, section, k, v) for k, v in inner.items()]
        elif key == "date_formats":
            for fmt in value if isinstance(value, list) else [value]:
                entries.append((None, "setting", "date_format", fmt))
        else:
            entries.append((None, "setting", key, value))
    return entries


def _csv_entries(text: str) -> list[tuple[int | None, str, str, str]]:
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    entries: list[tuple[int | None, str, str, str]] = []
    for row in reader:
        if reader.line_num == 1 and [c.strip().casefold() for c in row[:3]] == [
                "section", "from", "to"]:
            continue
        if not any(c.strip() for c in row):
            continue
        cells = [*row, "", "", ""][:3]
        entries.append((reader.line_num, cells[0].strip().casefold(), cells[1].strip(),
                        cells[2].strip()))
    return entries


def _build(name: str, entries: list[tuple[int | None, str, str, str]]) -> Mapping:
    mapping, issues = Mapping(), []
    for row, section, source, target in entries:
        problem = _apply(mapping, section, str(source), str(target) if target is not None
                         else "")
        if problem:
            issues.append(Issue(name, row, f"{section}.{source}", problem))
    if issues:
        raise MappingError(issues)
    return mapping


def _apply(mapping: Mapping, section: str, source: str, target: str) -> str:
    if section == "setting":
        return _setting(mapping, source.strip().casefold(), target)
    if section == "file":
        if source not in FILES:
            return _("Files are named for cases, documents, parties and folder.")
        mapping.files[source] = target.strip()
        return ""
    if section in COLUMNS:
        if target not in COLUMNS[section]:
            return _("“%(target)s” is no column of %(file)s in Diarium's format.") % {
                "target": target, "file": FILES[section]}
        mapping.columns.setdefault(section, {})[" ".join(source.split()).casefold()] = target
        return ""
    if section in CODE_FIELDS:
        if section not in FREE_CODES and target not in set(values.CODES[section].values()):
            return _("“%(target)s” is no code of %(field)s.") % {"target": target,
                                                                   "field": section}
        mapping.codes.setdefault(section, {})[" ".join(source.split()).casefold()] = target
        return ""
    return _("Unknown section “%(section)s”.") % {"section": section}


def _setting(mapping: Mapping, key: str, value: str) -> str:
    if key not in SETTINGS and key != "date_formats":
        return _("Unknown setting “%(key)s”.") % {"key": key}
    if key == "system":
        mapping.system = value.strip()[:100]
    elif key == "encoding":
        try:
            "".encode(value.strip())
        except LookupError:
            return _("Unknown encoding “%(value)s”.") % {"value": value}
        mapping.encoding = value.strip()
    elif key == "delimiter":
        if len(value) != 1:
            return _("The delimiter is one character.")
        mapping.delimiter = value
    elif key == "list_separator":
        if not value:
            return _("The list separator is one or more characters.")
        mapping.list_separator = value
    elif key in ("date_format", "date_formats"):
        mapping.date_formats = (*mapping.date_formats, value)
    elif key == "diary_number_pattern":
        try:
            pattern = re.compile(value)
        except re.error as exc:
            return str(exc)
        if not {"series", "year", "number"} <= set(pattern.groupindex):
            return _("The pattern needs the groups series, year and number.")
        mapping.diary_number_pattern = pattern
    return ""
