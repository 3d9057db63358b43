"""What was read from an export, held on disk in a temporary SQLite file until it is
checked and brought in: the export's files need not be sorted, documents and parties find
their case by its id (or diary number), and memory stays flat however large the export.

Each row keeps where it came from (file, row) and its fields as JSON, as read and
normalised, before anything is looked up in the registry."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE cases (seq INTEGER PRIMARY KEY, source_id TEXT NOT NULL UNIQUE,
                    diary_number TEXT NOT NULL UNIQUE, number_key TEXT UNIQUE, file TEXT,
                    row INTEGER, data TEXT, sha256 TEXT, state TEXT NOT NULL);
CREATE TABLE documents (seq INTEGER PRIMARY KEY, ref_kind TEXT, ref TEXT, file TEXT,
                        row INTEGER, data TEXT);
CREATE TABLE parties (seq INTEGER PRIMARY KEY, ref_kind TEXT, ref TEXT, file TEXT,
                      row INTEGER, data TEXT);
CREATE INDEX documents_ref ON documents (ref_kind, ref);
CREATE INDEX parties_ref ON parties (ref_kind, ref);
"""
BY_ID, BY_NUMBER = "id", "number"
READ, NEW, SKIP, BAD = "read", "new", "skip", "bad"


@dataclass
class Staged:
    seq: int
    source_id: str
    diary_number: str
    file: str
    row: int | None
    data: dict
    state: str = READ


@dataclass
class StagedPart:
    """A document or a party: where it is, and its fields."""

    file: str
    row: int | None
    data: dict


class Duplicate(Exception):
    def __init__(self, column: str, first: tuple[str, int | None]) -> None:
        self.column, self.first = column, first


class Staging:
    def __init__(self, folder: Path | None = None) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="diarium-migrate-", dir=folder)
        self.db = sqlite3.connect(Path(self._dir.name) / "staging.sqlite3")
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    def add_case(self, source_id: str, diary_number: str, number_key: str, file: str,
                 row: int | None, data: dict, *, bad: bool = False) -> None:
        """Raises Duplicate when the id, the diary number or the series, year and number
        (number_key, "" when not known) were read before. bad: the row has problems."""
        try:
            self.db.execute(
                "INSERT INTO cases (source_id, diary_number, number_key, file, row, data, "
                "state) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (source_id, diary_number, number_key or None, file, row,
                 json.dumps(data, default=str), BAD if bad else READ))
        except sqlite3.IntegrityError:
            for column, value in (("source_id", source_id), ("diary_number", diary_number),
                                  ("number_key", number_key)):
                found = self.db.execute(
                    f"SELECT file, row FROM cases WHERE {column} = ?",  # noqa: S608
                    (value,)).fetchone()
                if found is not None:
                    raise Duplicate(column, found) from None
            raise

    def add_part(self, table: str, ref_kind: str, ref: str, file: str, row: int | None,
                 data: dict) -> None:
        assert table in ("documents", "parties")
        self.db.execute(
            f"INSERT INTO {table} (ref_kind, ref, file, row, data) "  # noqa: S608
            "VALUES (?, ?, ?, ?, ?)", (ref_kind, ref, file, row, json.dumps(data, default=str)))

    def mark(self, seq: int, state: str, sha256: str = "") -> None:
        self.db.execute("UPDATE cases SET state = ?, sha256 = ? WHERE seq = ?",
                        (state, sha256, seq))

    def commit(self) -> None:
        self.db.commit()

    # -- reading --------------------------------------------------------------------------
    def count(self, state: str | None = None) -> int:
        if state is None:
            return self.db.execute("SELECT count(*) FROM cases").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM cases WHERE state = ?",
                               (state,)).fetchone()[0]

    def cases(self, batch: int, state: str | None = None) -> Iterator[list[Staged]]:
        """The cases in the order read, in batches (a cursor each, so the table may be
        marked while it is read)."""
        last = 0
        where = "AND state = ?" if state else ""
        while True:
            params: tuple = (last, state, batch) if state else (last, batch)
            rows = self.db.execute(
                "SELECT seq, source_id, diary_number, file, row, data, state FROM cases "  # noqa: S608
                f"WHERE seq > ? {where} ORDER BY seq LIMIT ?", params).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [Staged(seq, sid, number, file, row, json.loads(data), state)
                   for seq, sid, number, file, row, data, state in rows]

    def sha256(self, seq: int) -> str:
        return self.db.execute("SELECT sha256 FROM cases WHERE seq = ?", (seq,)).fetchone()[0]

    def parts(self, table: str, cases: list[Staged]) -> dict[str, list[StagedPart]]:
        """The documents or parties of the cases, by the case's source id, in the order
        read."""
        assert table in ("documents", "parties")
        by_id = {c.source_id: c.source_id for c in cases}
        by_number = {c.diary_number: c.source_id for c in cases}
        found: dict[str, list[tuple[int, StagedPart]]] = {c.source_id: [] for c in cases}
        for kind, keys in ((BY_ID, by_id), (BY_NUMBER, by_number)):
            names = list(keys)
            for start in range(0, len(names), 500):
                chunk = names[start:start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    f"SELECT seq, ref, file, row, data FROM {table} "  # noqa: S608
                    f"WHERE ref_kind = ? AND ref IN ({marks})", (kind, *chunk)).fetchall()
                for seq, ref, file, row, data in rows:
                    found[keys[ref]].append((seq, StagedPart(file, row, json.loads(data))))
        return {key: [part for _seq, part in sorted(items, key=lambda i: i[0])]
                for key, items in found.items()}

    def orphans(self, table: str) -> Iterator[tuple[str, int | None, str]]:
        """Documents or parties whose case is not in the export: (file, row, reference)."""
        assert table in ("documents", "parties")
        yield from self.db.execute(
            f"SELECT p.file, p.row, p.ref FROM {table} p WHERE NOT EXISTS ("  # noqa: S608
            "SELECT 1 FROM cases c WHERE (p.ref_kind = 'id' AND c.source_id = p.ref) OR "
            "(p.ref_kind = 'number' AND c.diary_number = p.ref)) ORDER BY p.seq")
