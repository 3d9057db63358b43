"""Reading and writing the organisation file's three formats, defensively.

- CSV: one file per sheet, `<sheet>.csv` (UTF-8, semicolons), in a folder or a zip file;
- XLSX: one worksheet per sheet, named like it;
- YAML: a mapping of sheet name to a list of rows (mappings of column to value).

The file may come from anyone who reaches the upload page, so sizes, row counts and zip
contents are capped; YAML is read as plain text values (no tags, no aliases), so `nej`
stays the word and `0123` keeps its zero."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from diarium.plan.io.columns import normalise_header
from diarium.plan.io.errors import PlanFileError
from diarium.plan.io.parsing import escape, unescape
from diarium.plan.io.reading import cell_text, decode_utf8, read_csv
from diarium.registry.orgfile.sheets import BY_NAME, FORMAT_NAME, FORMAT_VERSION, SHEETS, Sheet

FORMATS = ("csv", "xlsx", "yaml")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000  # per sheet
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 64
MAX_YAML_EVENTS = 2_000_000


@dataclass(frozen=True)
class Issue:
    """A problem with the file: where (sheet, row, column) and what. The row is the
    spreadsheet row (the header is row 1) or, in YAML, the line of the entry."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class OrganisationFileError(Exception):
    """The file cannot be imported, and nothing was: `issues` lists every problem."""

    def __init__(self, issues: list[Issue]):
        order = {sheet.name: i for i, sheet in enumerate(SHEETS)}
        self.issues = sorted(issues, key=lambda i: (order.get(i.sheet or "", -1),
                                                    i.row or 0, i.column or ""))
        super().__init__("\n".join(str(i) for i in self.issues))


@dataclass
class Row:
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


@dataclass
class SheetData:
    sheet: Sheet
    rows: list[Row] = field(default_factory=list)


class Workbook(dict[str, SheetData]):
    """The file's sheets by name, with the problems found in their header rows (reported
    together with the problems of the rows, so that one attempt shows them all)."""

    def __init__(self) -> None:
        super().__init__()
        self.issues: list[Issue] = []


def format_of(path: Path | str) -> str | None:
    """The format a path names: a folder or .zip is CSV, .xlsx, .yaml/.yml."""
    if str(path).endswith(("/", "\\")) or Path(path).is_dir():
        return "csv"
    path = Path(path)
    suffix = path.suffix.lower()
    return {".zip": "csv", ".csv": "csv", ".xlsx": "xlsx", ".yaml": "yaml",
            ".yml": "yaml"}.get(suffix)


def _fail(message: str, sheet: str | None = None) -> OrganisationFileError:
    return OrganisationFileError([Issue(sheet, None, None, message)])


# --- reading -----------------------------------------------------------------------------

def read_path(path: Path) -> Workbook:
    """Read a file or a folder of CSV files from the command line."""
    if path.is_dir():
        files = {}
        for child in sorted(path.iterdir()):
            if child.name.startswith(".") or not child.is_file():
                continue
            files[child.name] = _limited(child.read_bytes())
        return _read_csv_files(files)
    if not path.is_file():
        raise _fail(_("No such file or folder: %(path)s") % {"path": path})
    return read_bytes(path.read_bytes(), path.name)


def _limited(data: bytes) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise _fail(_("The file is %(size)s bytes; at most %(max)s bytes can be imported.")
                    % {"size": len(data), "max": MAX_FILE_BYTES})
    return data


def read_bytes(data: bytes, name: str) -> Workbook:
    """Read an uploaded file by its name's format: .zip (CSV files), .csv (one sheet,
    named like the file), .xlsx or .yaml/.yml."""
    _limited(data)
    fmt = format_of(name)
    suffix = Path(name).suffix.lower()
    if fmt is None:
        raise _fail(_("Unknown file type %(name)s: use a .zip of CSV files, .xlsx or "
                      ".yaml.") % {"name": name})
    if suffix == ".csv":
        return _read_csv_files({Path(name).name: data})
    if fmt == "csv":
        return _read_csv_files(_unzip(data))
    if fmt == "xlsx":
        return _read_xlsx(data)
    return _read_yaml(data)


def _zip_members(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _fail(_("The file is not a zip file.")) from exc
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_COMPRESSION_RATIO \
            or len(members) > 10 * MAX_MEMBERS:
        raise _fail(_("The file unpacks to %(size)s bytes (compression %(ratio)d:1): too "
                      "large to be an organisation file.") % {"size": unpacked, "ratio": ratio})
    return archive, members


def _unzip(data: bytes) -> dict[str, bytes]:
    archive, members = _zip_members(data)
    files = {}
    for member in members:
        base = member.filename.rsplit("/", 1)[-1]
        if member.is_dir() or not base or base.startswith(".") \
                or member.filename.startswith("__MACOSX/"):
            continue
        files[base] = archive.read(member)
    return files


def _read_csv_files(files: dict[str, bytes]) -> Workbook:
    book = Workbook()
    issues: list[Issue] = []
    for file_name, data in files.items():
        stem, _dot, suffix = file_name.rpartition(".")
        if suffix.lower() != "csv":
            issues.append(Issue(None, None, None, _(
                "%(file)s is not a CSV file of a sheet; the sheets are %(sheets)s.csv.")
                % {"file": file_name, "sheets": ".csv, ".join(BY_NAME)}))
            continue
        sheet = _sheet_named(stem, issues)
        if sheet is None:
            continue
        try:
            table = read_csv(data)
        except PlanFileError as exc:
            issues.extend(Issue(sheet.name, i.row, i.column, i.message) for i in exc.issues)
            continue
        book[sheet.name] = _table(sheet, table.header,
                                  [(n, cells) for n, cells in table.rows], book.issues)
    return _finished(book, issues, _("No sheet found: the CSV files are named "
                                     "%(sheets)s.csv.") % {"sheets": ".csv, ".join(BY_NAME)})


def _finished(book: Workbook, issues: list[Issue], none_found: str) -> Workbook:
    """The workbook, unless a sheet could not be read at all (then every problem)."""
    if issues:
        raise OrganisationFileError(issues + book.issues)
    if not book:
        raise _fail(none_found)
    return book


def _sheet_named(name: str, issues: list[Issue]) -> Sheet | None:
    sheet = BY_NAME.get(name.strip().lower())
    if sheet is None:
        issues.append(Issue(name, None, None, _("Unknown sheet. The sheets are: %(sheets)s.")
                            % {"sheets": ", ".join(BY_NAME)}))
    return sheet


def _table(sheet: Sheet, header: list[str], rows: list[tuple[int, list[str]]],
           issues: list[Issue], escaped: bool = True) -> SheetData:
    """Check the header row and turn each row into column: value."""
    index: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = normalise_header(raw)
        if not name:
            if any(i < len(cells) and cells[i].strip() for _n, cells in rows):
                issues.append(Issue(sheet.name, 1, None, _(
                    "Column %(n)s has values but no header.") % {"n": i + 1}))
            continue
        column = _column(sheet, name)
        if column is None:
            issues.append(Issue(sheet.name, 1, str(raw), _(
                "Unknown column. The columns are: %(columns)s.")
                % {"columns": ", ".join(sheet.columns)}))
        elif column in index:
            issues.append(Issue(sheet.name, 1, column, _("The column appears twice.")))
        else:
            index[column] = i
    for column in sheet.must_have:
        if column not in index:
            issues.append(Issue(sheet.name, 1, column, _("The column is missing.")))
    if len(rows) > MAX_ROWS:
        issues.append(Issue(sheet.name, None, None, _(
            "The sheet has more than %(max)s rows.") % {"max": MAX_ROWS}))
        rows = []
    data = SheetData(sheet)
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        values = {}
        for column, i in index.items():
            cell = cells[i] if i < len(cells) else ""
            values[column] = unescape(cell) if escaped else cell
        data.rows.append(Row(number, values))
    return data


def _column(sheet: Sheet, name: str) -> str | None:
    """The sheet's column a header names (headers are compared without case, with
    spaces, hyphens and slashes read as underscores)."""
    for column in sheet.columns:
        if normalise_header(column) == name:
            return column
    return None


def _read_xlsx(data: bytes) -> Workbook:
    _zip_members(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise _fail(_("The workbook cannot be read: %(error)s") % {"error": exc}) from exc
    book = Workbook()
    issues: list[Issue] = []
    try:
        for worksheet in workbook.worksheets:
            sheet = _sheet_named(worksheet.title, issues)
            if sheet is None:
                continue
            rows: list[list[str]] = []
            for values in worksheet.iter_rows(values_only=True, max_col=32):
                rows.append([cell_text(v) for v in values])
                if len(rows) > MAX_ROWS + 1:
                    break
            if not rows:
                continue
            header = rows[0]
            book[sheet.name] = _table(sheet, header, list(enumerate(rows[1:], start=2)),
                                      book.issues)
    finally:
        workbook.close()
    return _finished(book, issues, _("No sheet found: the worksheets are named "
                                     "%(sheets)s.") % {"sheets": ", ".join(BY_NAME)})


def _read_yaml(data: bytes) -> Workbook:
    import yaml

    text = decode_utf8_or_fail(data)
    try:
        for events, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), start=1):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _fail(_("The YAML uses anchors or aliases (& and *): write each "
                              "value out."))
            if getattr(event, "tag", None) and not getattr(event, "implicit", (True,))[0] \
                    and isinstance(event, yaml.ScalarEvent):
                raise _fail(_("The YAML uses a tag (!…): write plain values."))
            if events > MAX_YAML_EVENTS:
                raise _fail(_("The YAML is too large."))
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise OrganisationFileError([Issue(None, mark.line + 1 if mark else None, None, _(
            "The YAML cannot be read: %(error)s") % {"error": getattr(exc, "problem", exc)})
        ]) from exc
    if root is None:
        raise _fail(_("The file is empty."))
    if not isinstance(root, yaml.MappingNode):
        raise OrganisationFileError([Issue(None, root.start_mark.line + 1, None, _(
            "The YAML must be a mapping of sheet names to lists of rows."))])
    book = Workbook()
    issues: list[Issue] = []
    for key_node, value_node in root.value:
        key = _scalar(key_node)
        if key in ("format", "version"):
            continue
        sheet = _sheet_named(key or "", issues)
        if sheet is None:
            continue
        book[sheet.name] = _yaml_sheet(sheet, value_node, book.issues)
    return _finished(book, issues, _("No sheet found: the keys are %(sheets)s.") % {
        "sheets": ", ".join(BY_NAME)})


def decode_utf8_or_fail(data: bytes) -> str:
    try:
        return decode_utf8(data)
    except PlanFileError as exc:
        raise OrganisationFileError([Issue(None, i.row, i.column, i.message)
                                     for i in exc.issues]) from exc


def _scalar(node) -> str | None:
    import yaml

    return node.value if isinstance(node, yaml.ScalarNode) else None


def _yaml_sheet(sheet: Sheet, node, issues: list[Issue]) -> SheetData:
    import yaml

    data = SheetData(sheet)
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return data
    if not isinstance(node, yaml.SequenceNode):
        issues.append(Issue(sheet.name, node.start_mark.line + 1, None, _(
            "A sheet is a list of rows.")))
        return data
    if len(node.value) > MAX_ROWS:
        issues.append(Issue(sheet.name, None, None, _(
            "The sheet has more than %(max)s rows.") % {"max": MAX_ROWS}))
        return data
    seen_columns: set[str] = set()
    for item in node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            issues.append(Issue(sheet.name, line, None, _(
                "A row is a mapping of column: value.")))
            continue
        values: dict[str, str] = {}
        for key_node, value_node in item.value:
            raw = _scalar(key_node) or ""
            column = _column(sheet, normalise_header(raw))
            if column is None:
                issues.append(Issue(sheet.name, key_node.start_mark.line + 1, raw, _(
                    "Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(sheet.columns)}))
                continue
            if column in values:
                issues.append(Issue(sheet.name, key_node.start_mark.line + 1, column,
                                    _("The column appears twice.")))
                continue
            value = _yaml_value(value_node)
            if value is None:
                issues.append(Issue(sheet.name, value_node.start_mark.line + 1, column, _(
                    "A value is text, a number, ja/nej or a list of codes.")))
                continue
            values[column] = value
            seen_columns.add(column)
        data.rows.append(Row(line, values))
    for column in sheet.must_have:
        if data.rows and column not in seen_columns:
            issues.append(Issue(sheet.name, None, column, _("The column is missing.")))
    # Like a spreadsheet's header: a key that some row has is a column of the sheet, empty
    # where a row leaves it out; a key no row has is a column left out of the file.
    for row in data.rows:
        for column in seen_columns:
            row.values.setdefault(column, "")
    return data


def _yaml_value(node) -> str | None:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" and node.style is None \
                and node.value in ("", "~", "null", "Null", "NULL"):
            return ""
        return node.value
    if isinstance(node, yaml.SequenceNode) and all(
            isinstance(item, yaml.ScalarNode) for item in node.value):
        return ", ".join(item.value for item in node.value)
    return None


# --- writing -----------------------------------------------------------------------------

Rows = dict[str, list[dict[str, str]]]  # sheet name -> rows of column: value
LIST_COLUMNS = {("myndigheter", "medlemskommuner"), ("forvaltningar", "myndigheter")}


def csv_bytes(sheet: Sheet, rows: list[dict[str, str]]) -> bytes:
    """UTF-8 with a byte order mark and semicolons: what Excel in Swedish opens directly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.columns)
    for row in rows:
        writer.writerow([escape(row.get(c, "")) for c in sheet.columns])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_zip(rows: Rows) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            info = zipfile.ZipInfo(f"{sheet.name}.csv", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, csv_bytes(sheet, rows.get(sheet.name, [])))
    return out.getvalue()


def to_folder(rows: Rows, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for sheet in SHEETS:
        (folder / f"{sheet.name}.csv").write_bytes(csv_bytes(sheet, rows.get(sheet.name, [])))


def to_xlsx(rows: Rows) -> bytes:
    from openpyxl import Workbook as XlsxWorkbook

    workbook = XlsxWorkbook(write_only=True)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(list(sheet.columns))
        for row in rows.get(sheet.name, []):
            worksheet.append([escape(row.get(c, "")) for c in sheet.columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_yaml(rows: Rows) -> bytes:
    import yaml

    document: dict = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    for sheet in SHEETS:
        entries = []
        for row in rows.get(sheet.name, []):
            entry: dict = {}
            for column in sheet.columns:
                value = row.get(column, "")
                if value == "" and column not in sheet.must_have:
                    continue  # an empty value is written by leaving the key out
                if (sheet.name, column) in LIST_COLUMNS:
                    entry[column] = [v.strip() for v in value.split(",") if v.strip()]
                else:
                    entry[column] = value
            entries.append(entry)
        document[sheet.name] = entries
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False,
                          width=100).encode("utf-8")


def render(rows: Rows, fmt: str) -> bytes:
    """The file's bytes in a format (CSV: a zip of one file per sheet)."""
    if fmt == "csv":
        return to_zip(rows)
    if fmt == "xlsx":
        return to_xlsx(rows)
    if fmt == "yaml":
        return to_yaml(rows)
    raise ValueError(f"unknown format: {fmt!r}")
