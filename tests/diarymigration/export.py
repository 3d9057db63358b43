"""Writing a former diarium's CSV export for the tests: cases.csv, documents.csv,
parties.csv and a files folder, with Diarium's own column names unless told otherwise."""

from __future__ import annotations

import csv
from pathlib import Path


def write_csv(path: Path, rows: list[dict], *, delimiter: str = ";",
              encoding: str = "utf-8") -> None:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])


def write_export(folder: Path, cases: list[dict], documents: list[dict] = (),
                 parties: list[dict] = (), files: dict[str, bytes] | None = None,
                 names: dict[str, str] | None = None, **options) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    names = {"cases": "cases.csv", "documents": "documents.csv", "parties": "parties.csv",
             "folder": "files"} | (names or {})
    write_csv(folder / names["cases"], cases, **options)
    if documents:
        write_csv(folder / names["documents"], list(documents), **options)
    if parties:
        write_csv(folder / names["parties"], list(parties), **options)
    for name, content in (files or {}).items():
        path = folder / names["folder"] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder
