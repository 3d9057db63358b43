"""A former diarium exported as CSV files: cases.csv, documents.csv and parties.csv with a
files/ folder (docs/migrate-diary.md), their names, columns and words as the mapping file
says. The files are read as streams, row by row; each problem is reported with its file,
row (the line, the header being row 1) and the export's own column name."""

from __future__ import annotations

import csv
import mimetypes
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from . import values
from .mapping import Mapping
from .report import Report
from .source import CASE, DOCUMENT, PARTY, Progress, SourceError
from .staging import BY_ID, BY_NUMBER, Duplicate, Staged, StagedPart, Staging

FIELD_COLUMNS = {
    # Fields of a staged row -> Diarium's CSV column they are read from, where they differ.
    "classification_code": "classification", "opened_at": "opened", "closed_at": "closed",
    "voided_at": "voided", "follow_up_date": "follow_up", "registered_at": "registered",
    "officer": "responsible_officer", "secrecy": "secrecy_provision",
    "responsible_officer": "responsible_officer", "opened": "opened", "closed": "closed",
    "voided": "voided", "registered": "registered",
}
PART_FILES = {CASE: "cases", DOCUMENT: "documents", PARTY: "parties"}
REQUIRED = {"cases": ("diary_number", "title", "opened"),
            "documents": ("number", "direction", "title", "document_date"),
            "parties": ("kind", "name")}
csv.field_size_limit(16 * 1024 * 1024)


class _Row:
    """One row: its cells by Diarium's column name, and its problems."""

    def __init__(self, file: str, line: int, cells: dict[str, str], report: Report,
                 headers: dict[str, str]) -> None:
        self.file, self.line, self.cells = file, line, cells
        self.report, self.headers, self.bad = report, headers, False

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def has(self, column: str) -> bool:
        return column in self.cells

    def error(self, column: str | None, message: str) -> None:
        self.bad = True
        self.report.error(self.file, self.line, self.headers.get(column or "", column), message)

    def read(self, column: str, reader, *args):
        """reader(text, *args), or None with the problem reported."""
        try:
            return reader(self.get(column), *args)
        except ValueError as exc:
            self.error(column, str(exc))
            return None


class CsvSource:
    def __init__(self, folder: Path, mapping: Mapping) -> None:
        self.folder, self.mapping = folder, mapping
        self.name = folder.name
        self.system = mapping.system
        self.files_folder = (folder / mapping.files["folder"]).resolve()
        self.headers: dict[str, dict[str, str]] = {}  # file -> Diarium's column -> header
        if not (folder / mapping.files["cases"]).is_file():
            raise SourceError(_("%(folder)s has no %(file)s.") % {
                "folder": folder, "file": mapping.files["cases"]})

    def close(self) -> None:
        return None

    def column(self, part: str, field: str) -> str:
        file = PART_FILES[part]
        name = FIELD_COLUMNS.get(field, field)
        return self.headers.get(file, {}).get(name, name)

    # -- pass 1 ---------------------------------------------------------------------------
    def read(self, staging: Staging, report: Report, progress: Progress) -> None:
        for file in ("cases", "documents", "parties"):
            path = self.folder / self.mapping.files[file]
            if file != "cases" and not path.is_file():
                continue
            done = 0
            for row in self._rows(file, path, report):
                done += 1
                getattr(self, f"_{file}")(row, staging)
                if done % 1000 == 0:
                    progress(f"read {path.name}", done, None)
                    staging.commit()
            progress(f"read {path.name}", done, None)
            staging.commit()

    def _rows(self, file: str, path: Path, report: Report) -> Iterator[_Row]:
        name = path.name
        try:
            stream = path.open(encoding=self.mapping.encoding, newline="")
        except OSError as exc:
            report.error(name, None, None, str(exc))
            return
        with stream:
            try:
                first = stream.readline()
            except UnicodeDecodeError:
                report.error(name, 1, None, _("The file is not written in %(encoding)s; "
                                              "name its encoding in the mapping file.") % {
                    "encoding": self.mapping.encoding})
                return
            delimiter = self.mapping.delimiter or (";" if first.count(";") >= first.count(",")
                                                   else ",")
            header = next(csv.reader([first], delimiter=delimiter), [])
            columns = self._columns(file, name, header, report)
            if columns is None:
                return
            reader = csv.reader(stream, delimiter=delimiter)
            line = 2  # the header is line 1; the reader counts the lines after it
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError:
                    report.error(name, line, None, _("The row is not written in %(encoding)s.")
                                 % {"encoding": self.mapping.encoding})
                    return
                except csv.Error as exc:
                    report.error(name, line, None, _("The CSV cannot be read: %(error)s") % {
                        "error": exc})
                    return
                start, line = line, reader.line_num + 2
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > len(header):
                    report.error(name, start, None, _("The row has more cells than the "
                                                      "header has columns."))
                cells = {column: record[i] for i, column in columns.items()
                         if i < len(record)}
                yield _Row(name, start, cells, report, self.headers[file])

    def _columns(self, file: str, name: str, header: list[str], report: Report
                 ) -> dict[int, str] | None:
        """Column position -> Diarium's column; None (reported) when the file cannot be
        read for want of a column."""
        columns: dict[int, str] = {}
        seen: dict[str, str] = {}
        for i, text in enumerate(header):
            target = self.mapping.column(file, text)
            if not target:
                if text.strip():
                    report.warning(name, 1, text, _("The column is not one Diarium reads "
                                                    "(map it in the mapping file if it is)."))
                continue
            if target in seen:
                report.error(name, 1, text, _("Two columns are read as %(column)s: "
                                              "%(first)s and %(second)s.") % {
                    "column": target, "first": seen[target], "second": text})
                return None
            seen[target] = text
            columns[i] = target
        self.headers[file] = seen
        missing = [c for c in REQUIRED[file] if c not in seen]
        if file == "cases" and "diary_number" in missing and {"series", "year", "number"} \
                <= set(seen):
            missing.remove("diary_number")
        if file != "cases" and not ({"case_id", "diary_number"} & set(seen)):
            missing.append("case_id")
        for column in missing:
            report.error(name, 1, column, _("The file has no column %(column)s.") % {
                "column": column})
        return None if missing else columns

    def _secrecy(self, row: _Row) -> list | None:
        provision = " ".join(row.get("secrecy_provision").split())
        marked_on = row.read("secrecy_marked_on", values.date, self.mapping.date_formats)
        withheld = row.read("withhold", values.withheld)
        for i, column in enumerate(("withhold_title", "withhold_parties", "withhold_files")):
            if row.get(column):
                flag = row.read(column, values.boolean)
                withheld = list(withheld or (False, False, False))
                withheld[i] = bool(flag)
        if not provision:
            return None
        if withheld is None:  # secrecy by construction: everything withheld unless told
            withheld = (True, True, True)
        return [provision, marked_on.isoformat() if marked_on else None, *withheld]

    def _code(self, row: _Row, column: str, field: str) -> str:
        words = self.mapping.words(field)
        return row.read(column, lambda text: values.code(field, text, words)) or ""

    def _cases(self, row: _Row, staging: Staging) -> None:
        formats = self.mapping.date_formats
        number_text = row.get("diary_number")
        series = year = number = None
        if number_text:
            parsed = row.read("diary_number", values.diary_number,
                              self.mapping.diary_number_pattern)
            if parsed:
                series, year, number = parsed
        if row.get("series"):
            series = row.get("series")
        if row.get("year"):
            year = row.read("year", values.integer)
        if row.get("number"):
            number = row.read("number", values.integer)
        if series:
            series = self.mapping.words("series").get(series.casefold(), series)
        if not number_text and series and year and number:
            number_text = f"{series} {year}/{number}"
        if not (series and year and number) and not row.bad:
            row.error("diary_number", _("A case needs its diary number."))
        data = {
            "diary_number": " ".join(number_text.split()), "series": series or "",
            "year": year or 0, "number": number or 0, "title": row.get("title"),
            "public_title": row.get("public_title"),
            "classification_code": row.get("classification"),
            "status": self._code(row, "status", "status") or "open",
            "opened_at": row.read("opened", values.moment, formats),
            "closed_at": row.read("closed", values.moment, formats),
            "closing_note": row.get("closing_note"),
            "voided_at": row.read("voided", values.moment, formats),
            "void_reason": row.get("void_reason"),
            "follow_up_date": row.read("follow_up", values.date, formats),
            "officer": row.get("responsible_officer"),
            "secrecy": self._secrecy(row),
        }
        if data["opened_at"] is None and not row.bad:
            row.error("opened", _("A case needs the day it was opened."))
        source_id = row.get("case_id") or data["diary_number"]
        if not source_id:
            source_id = f"?{row.file}:{row.line}"
        numbered = data["diary_number"] or source_id
        try:
            staging.add_case(source_id, numbered, self._number_key(data), row.file, row.line,
                             data, bad=row.bad)
        except Duplicate as exc:
            file, line = exc.first
            column = "case_id" if exc.column == "source_id" else "diary_number"
            row.error(column, _("The case comes twice: first at %(file)s row %(row)s.") % {
                "file": file, "row": line})

    @staticmethod
    def _number_key(data: dict) -> str:
        if not (data["series"] and data["year"] and data["number"]):
            return ""
        return f"{data['series'].casefold()}|{data['year']}|{data['number']}"

    def _reference(self, row: _Row) -> tuple[str, str]:
        if row.get("case_id"):
            return BY_ID, row.get("case_id")
        if self.headers.get("cases", {}).get("case_id") and not row.has("diary_number"):
            return BY_ID, ""
        return BY_NUMBER, " ".join(row.get("diary_number").split())

    def _documents(self, row: _Row, staging: Staging) -> None:
        formats = self.mapping.date_formats
        document_date = row.read("document_date", values.date, formats)
        registered = row.read("registered", values.moment, formats)
        if registered is None and document_date is not None:
            registered = values.moment(document_date.isoformat())
        data = {
            "number": row.read("number", values.integer) or 0,
            "direction": self._code(row, "direction", "direction"),
            "record_type": self._record_type(row.get("record_type")),
            "title": row.get("title"), "public_title": row.get("public_title"),
            "document_date": document_date, "registered_at": registered,
            "sender_recipient": row.get("sender_recipient"),
            "status": self._code(row, "status", "document_status") or "registered",
            "voided_at": row.read("voided", values.moment, formats),
            "void_reason": row.get("void_reason"),
            "secrecy": self._secrecy(row),
            "files": self._files(row),
        }
        if data["direction"] == "" and not row.bad:
            row.error("direction", _("A document needs its direction."))
        if document_date is None and not row.bad:
            row.error("document_date", _("A document needs its date."))
        kind, ref = self._reference(row)
        if not ref:
            row.error("case_id", _("The document names no case."))
        data["_bad"] = row.bad
        staging.add_part("documents", kind, ref, row.file, row.line, data)

    def _record_type(self, text: str) -> str:
        name = " ".join(text.split())
        return self.mapping.words("record_type").get(name.casefold(), name)

    def _files(self, row: _Row) -> list[dict]:
        found = []
        for name in row.get("files").split(self.mapping.list_separator):
            name = name.strip()
            if not name:
                continue
            path = self._file_path(name)
            if path is None:
                row.error("files", _("“%(name)s” is no file in the folder %(folder)s.") % {
                    "name": name, "folder": self.mapping.files["folder"]})
                continue
            info = path.lstat()
            found.append({"path": name, "name": path.name, "size": info.st_size,
                          "mime_type": mimetypes.guess_type(path.name)[0]
                          or "application/octet-stream",
                          "checksum_type": "", "checksum": ""})
        return found

    def _file_path(self, name: str) -> Path | None:
        """The file in the files folder, only when it is a regular file inside it."""
        relative = name.replace("\\", "/")
        if relative.startswith("/") or ".." in relative.split("/"):
            return None
        path = self.files_folder / relative
        try:
            info = path.lstat()
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or not path.resolve().is_relative_to(
                self.files_folder):
            return None
        return path

    def _parties(self, row: _Row, staging: Staging) -> None:
        data = {
            "kind": self._code(row, "kind", "kind"), "name": row.get("name"),
            "identity_number": row.get("identity_number"), "role": row.get("role"),
            "contact": {k: row.get(k) for k in ("address", "postal_code", "city", "email",
                                                "phone") if row.get(k)},
            "source_id": row.get("party_id"),
        }
        if not data["kind"] and not row.bad:
            row.error("kind", _("A party is a person or an organisation."))
        kind, ref = self._reference(row)
        if not ref:
            row.error("case_id", _("The party names no case."))
        data["_bad"] = row.bad
        staging.add_part("parties", kind, ref, row.file, row.line, data)

    # -- pass 2 and 3 ---------------------------------------------------------------------
    def check_files(self, case: Staged, documents: list[StagedPart], report: Report) -> None:
        for document in documents:
            for file in document.data.get("files", []):
                path = self._file_path(file["path"])
                if path is None or path.lstat().st_size != file["size"]:
                    report.error(document.file, document.row, self.column(DOCUMENT, "files"),
                                 _("“%(name)s” changed or went while it was read.") % {
                                     "name": file["path"]})

    @contextmanager
    def open_file(self, case: Staged, file: dict) -> Iterator[BinaryIO]:
        path = self._file_path(file["path"])
        if path is None:
            raise FileNotFoundError(file["path"])
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as stream:
            yield stream
