"""Reading a make-sip metadata file (CSV or JSON) into raw values with their positions.

CSV: two tables separated by an empty row. The first has the header `field,value` and one
row per package field; the second has a header with a `path` column and one row per file.
Comma or semicolon separated (as the first line shows), UTF-8 with or without BOM.

JSON: {"package": {field: value, …}, "files": [{field: value, …}, …]}.

Positions: CSV rows are the file's line numbers; JSON files are numbered from 1 in the
order of the "files" list. See docs/make-sip.md.

A CSV file is read as a stream, one row at a time (`open_metadata`): a delivery of 100,000
files does not hold 100,000 rows in memory. A JSON document is parsed whole (the standard
library has no streaming JSON parser), within MAX_METADATA_BYTES."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

MAX_METADATA_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Issue:
    row: int | None  # CSV: line number; JSON: position in "files" (1-based); None: package
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return (", ".join(where) + ": " if where else "") + self.message


class MetadataError(Exception):
    """The metadata (or the source folder) has problems; nothing was written."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues, key=lambda i: (i.row or 0, i.column or "", i.message))
        super().__init__("\n".join(str(i) for i in self.issues))


@dataclass
class RawMetadata:
    package: dict[str, str]
    package_rows: dict[str, int | None]  # field -> CSV line, for messages
    files: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row, values)


@dataclass
class MetadataSource:
    """An open metadata file: the package table read, the file rows still to come.
    `rows` yields (row, values); problems found while reading them go to `issues`."""

    package: dict[str, str]
    package_rows: dict[str, int | None]
    digest: str  # SHA-256 of the file (the default package id is made from it)
    rows: Iterator[tuple[int, dict[str, str]]]
    issues: list[Issue] = field(default_factory=list)


CHUNK = 1024 * 1024


def _digest_and_check(path: Path) -> str:
    """SHA-256 of the file, read once in chunks; MetadataError when it is too large, UTF-16 or
    not UTF-8 (naming the line of the first bad byte)."""
    if path.stat().st_size > MAX_METADATA_BYTES:
        raise MetadataError([Issue(None, None, _("The metadata file is too large."))])
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 1
    with path.open("rb") as stream:
        first = True
        while chunk := stream.read(CHUNK):
            if first and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise MetadataError([Issue(None, None, _(
                    "The file is UTF-16; save it as UTF-8."))])
            first = False
            digest.update(chunk)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = lines + chunk.count(b"\n", 0, max(exc.start, 0))
                raise MetadataError([Issue(line, None, _(
                    "The file is not UTF-8 text."))]) from exc
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise MetadataError([Issue(lines, None, _("The file is not UTF-8 text."))]) from exc
    return digest.hexdigest()


@contextmanager
def open_metadata(path: Path) -> Iterator[MetadataSource]:
    """The metadata file at `path`, checked to be UTF-8 and read: CSV as a stream, JSON
    whole. MetadataError for a problem in the package table or the file itself."""
    path = Path(path)
    if not path.is_file():
        raise MetadataError([Issue(None, None, _("The metadata file %(p)s does not exist.")
                                   % {"p": path})])
    digest = _digest_and_check(path)
    name = path.name.lower()
    if name.endswith(".json"):
        raw = _json(path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
        yield MetadataSource(raw.package, raw.package_rows, digest, iter(raw.files))
    elif name.endswith(".csv"):
        with path.open(encoding="utf-8-sig", newline="") as text:
            yield _csv_stream(text, digest)
    else:
        raise MetadataError([Issue(None, None, _(
            "The metadata file must be .csv or .json."))])


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _json(text: str) -> RawMetadata:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MetadataError([Issue(exc.lineno, str(exc.colno), _("Not valid JSON: %(msg)s")
                                   % {"msg": exc.msg})]) from exc
    if not isinstance(document, dict) or not isinstance(document.get("package"), dict) \
            or not isinstance(document.get("files"), list):
        raise MetadataError([Issue(None, None, _(
            'The JSON must be an object with "package" (an object) and "files" (a list).'))])
    issues, files = [], []
    for number, item in enumerate(document["files"], start=1):
        if not isinstance(item, dict):
            issues.append(Issue(number, None, _("Each file must be a JSON object.")))
            continue
        nested = [k for k, v in item.items() if isinstance(v, dict | list)]
        issues += [Issue(number, k, _("The value must be text, a number or true/false."))
                   for k in nested]
        files.append((number, {str(k): _as_text(v) for k, v in item.items()}))
    if issues:
        raise MetadataError(issues)
    package = {str(k): _as_text(v) for k, v in document["package"].items()}
    return RawMetadata(package, dict.fromkeys(package), files)


def _csv_stream(text: io.TextIOBase, digest: str) -> MetadataSource:
    """Reads the package table now; the file rows as they are asked for."""
    first = text.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    package: dict[str, str] = {}
    rows: dict[str, int | None] = {}
    issues: list[Issue] = []
    section = "start"
    try:
        for cells in reader:
            line = reader.line_num
            values = [c.strip() for c in cells]
            if not any(values):
                if section == "package":
                    section = "files"
                    break
                continue
            if section == "start":
                if [v.lower() for v in values[:2]] != ["field", "value"]:
                    raise MetadataError([Issue(line, None, _(
                        'The first row must be the header "field,value" of the package '
                        "table."))])
                section = "package"
            else:
                key = values[0].lower()
                if key in package:
                    issues.append(Issue(line, key, _("The field is given twice.")))
                package[key], rows[key] = (values[1] if len(values) > 1 else ""), line
                if len(values) > 2 and any(values[2:]):
                    issues.append(Issue(line, key, _("Only two cells: field and value.")))
    except csv.Error as exc:
        issues.append(Issue(reader.line_num, None, _("Not valid CSV: %(msg)s") % {"msg": exc}))
    if section != "files" and not issues:
        issues.append(Issue(None, None, _(
            "The file table is missing: leave an empty row after the package table.")))
    if issues:
        raise MetadataError(issues)
    source = MetadataSource(package, rows, digest, iter(()))
    source.rows = _csv_rows(reader, source.issues)
    return source


def _csv_rows(reader, issues: list[Issue]) -> Iterator[tuple[int, dict[str, str]]]:
    header: list[str] | None = None
    try:
        for cells in reader:
            line = reader.line_num
            values = [c.strip() for c in cells]
            if not any(values):
                continue
            if header is None:
                header = [v.lower() for v in values]
                if "path" not in header:
                    issues.append(Issue(line, None, _(
                        'The file table needs a header row with a "path" column.')))
                    return
                for name in {h for h in header if header.count(h) > 1}:
                    issues.append(Issue(line, name, _("The column appears twice.")))
                continue
            if len(values) > len(header):
                issues.append(Issue(line, None, _(
                    "The row has %(n)s cells but the header only %(m)s.")
                    % {"n": len(values), "m": len(header)}))
            yield line, dict(zip(header, values, strict=False))
    except csv.Error as exc:
        issues.append(Issue(reader.line_num, None, _("Not valid CSV: %(msg)s") % {"msg": exc}))
