"""What the two kinds of source (CSV files, CITS ERMS packages) give the import: the rows
read into the staging file (pass 1), the column (or element) each field came from for the
report, the files of a document checked (pass 2) and opened (pass 3).

The fields of a staged row are Diarium's, normalised (docs/migrate-diary.md):

- case: diary_number, series, year, number, title, public_title, classification_code,
  status, opened_at, closed_at, closing_note, voided_at, void_reason, follow_up_date,
  officer (a username), secrecy;
- document: number, direction, record_type, title, public_title, document_date,
  registered_at, sender_recipient, status, voided_at, void_reason, secrecy, files;
- party: kind, name, identity_number, role, contact, source_id.

secrecy is [provision, marked_on, title, parties, files] (what is withheld); a file is
{path, name, mime_type, size, checksum_type, checksum}. Keys starting with "_" say where
something is (a package) and are left out of the row's hash."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import BinaryIO, Protocol

from .report import Report
from .staging import Staged, StagedPart, Staging

Progress = Callable[[str, int, int | None], None]

CASE, DOCUMENT, PARTY = "case", "document", "party"


class SourceError(Exception):
    """The source cannot be read at all (no such folder, no cases file, not a package)."""


class Source(Protocol):
    name: str  # shown in the report
    system: str  # the system the export comes from, when the source says

    def read(self, staging: Staging, report: Report, progress: Progress) -> None:
        """Pass 1: every row into the staging file, each problem of a single row into the
        report (the row is staged as bad when it cannot be used)."""

    def column(self, part: str, field: str) -> str:
        """The source's own name for a field of a case, document or party."""

    def check_files(self, case: Staged, documents: list[StagedPart], report: Report) -> None:
        """Pass 2: the case's files are there (and hash as the source says)."""

    def open_file(self, case: Staged, file: dict) -> AbstractContextManager[BinaryIO]:
        """Pass 3: one file's content as a stream."""

    def close(self) -> None: ...
