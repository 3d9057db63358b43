"""From the bytes of a CSV, XLSX or JSON file to a table of strings, defensively.

A plan file may come from anyone who can reach the import page, so the reader caps the file
size, the number of rows and (for XLSX, a zip archive) the unpacked size, and reads XLSX in
openpyxl's read-only mode (its XML parser is defusedxml when installed)."""

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from diarium.plan.io.errors import Issue, PlanFileError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 64
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # XLSX: all zip members together, unpacked
MAX_COMPRESSION_RATIO = 200
FORMATS = ("csv", "xlsx", "json")
JSON_FORMAT_NAME = "diarium-plan"


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)
    escaped: bool = True  # spreadsheet formats: cells may carry export's formula guard


def format_from_name(name: str) -> str | None:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None


def read_limited(stream: BinaryIO) -> bytes:
    """Read an upload, refusing it as soon as it passes the size limit."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    return data


def _too_large(size: int) -> PlanFileError:
    return PlanFileError([Issue(None, None, _(
        "The file is %(size)s bytes; at most %(max)s bytes can be imported."
    ) % {"size": size, "max": MAX_FILE_BYTES})])


def read_table(data: bytes, fmt: str) -> Table:
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    if fmt == "csv":
        return read_csv(data)
    if fmt == "xlsx":
        return read_xlsx(data)
    if fmt == "json":
        return read_json(data)
    raise PlanFileError([Issue(None, None, _(
        'Unknown file format "%(format)s": use CSV, XLSX or JSON.') % {"format": fmt})])


def decode_utf8(data: bytes) -> str:
    """UTF-8, with or without a byte order mark; anything else is reported with the byte
    offset and the line where reading stopped."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanFileError([Issue(None, None, _(
            "The file is UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)."))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = ""
        try:
            data.decode("cp1252")
            hint = " " + _("It looks like Latin-1 / Windows-1252.")
        except UnicodeDecodeError:
            pass
        raise PlanFileError([Issue(line, None, _(
            "The file is not UTF-8: byte 0x%(byte)02X at offset %(offset)s cannot be read."
            "%(hint)s Save the file as UTF-8 (in Excel: CSV UTF-8)."
        ) % {"byte": data[exc.start], "offset": exc.start, "hint": hint})]) from exc
    if "\x00" in text:
        raise PlanFileError([Issue(None, None, _("The file contains NUL bytes: it is not text."))])
    return text


def _too_many_rows() -> PlanFileError:
    return PlanFileError([Issue(None, None, _(
        "The file has more than %(max)s rows.") % {"max": MAX_ROWS})])


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


def read_csv(data: bytes) -> Table:
    text = decode_utf8(data)
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(records) > MAX_ROWS:
                raise _too_many_rows()
            records.append(record)
    except csv.Error as exc:
        raise PlanFileError([Issue(len(records) + 1, None, _(
            "The CSV cannot be read: %(error)s") % {"error": exc})]) from exc
    if not records:
        raise PlanFileError([Issue(None, None, _("The file is empty."))])
    return Table(records[0], [(i, rec) for i, rec in enumerate(records[1:], start=2)])


def _xlsx_guard(data: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise PlanFileError([Issue(None, None, _("The file is not an XLSX workbook."))]) from exc
    unpacked = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_COMPRESSION_RATIO or len(members) > 500:
        raise PlanFileError([Issue(None, None, _(
            "The workbook unpacks to %(size)s bytes (compression %(ratio)d:1): too large to "
            "be a plan.") % {"size": unpacked, "ratio": ratio})])


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes) -> Table:
    _xlsx_guard(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise PlanFileError([Issue(None, None, _(
            "The workbook cannot be read: %(error)s") % {"error": exc})]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
            rows.append([cell_text(v) for v in values])
    finally:
        workbook.close()
    if not rows:
        raise PlanFileError([Issue(None, None, _("The workbook's first sheet is empty."))])
    header = rows[0]
    while header and not header[-1].strip():
        header.pop()
    return Table(header, [(i, r) for i, r in enumerate(rows[1:], start=2)])


def read_json(data: bytes) -> Table:
    text = decode_utf8(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError([Issue(exc.lineno, None, _(
            "The JSON cannot be read: %(error)s") % {"error": exc.msg})]) from exc
    except RecursionError as exc:
        raise PlanFileError([Issue(None, None, _("The JSON is nested too deeply."))]) from exc
    rows = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise PlanFileError([Issue(None, None, _(
            'The JSON must be a list of rows or an object with a "rows" list.'))])
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    columns = document.get("columns") if isinstance(document, dict) else None
    header: list[str] = [str(c) for c in columns[:MAX_COLUMNS]] if isinstance(columns, list) \
        else []
    issues: list[Issue] = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            issues.append(Issue(i, None, _("A row must be an object of column: value.")))
            continue
        header.extend(k for k in row if k not in header)
    if issues:
        raise PlanFileError(issues)
    table = Table(header, escaped=False)
    for i, row in enumerate(rows, start=1):
        cells = []
        for key in header:
            value = row.get(key)
            if isinstance(value, dict | list):
                issues.append(Issue(i, key, _("A value must be text, a number or true/false.")))
            cells.append(cell_text(value))
        table.rows.append((i, cells))
    if issues:
        raise PlanFileError(issues)
    return table
