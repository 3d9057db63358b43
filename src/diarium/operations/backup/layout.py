"""The backup folder: what is in it and how it is named.

    DIR/manifest.json     what the backup holds: format, engine, when, the database dump's
                          SHA-256, the areas and their totals, the SHA-256 of files.jsonl
    DIR/files.jsonl       one line per stored file: {"area", "key", "group", "size", "sha256"}
    DIR/database.pgdump   pg_dump custom format (PostgreSQL), or
    DIR/database.sqlite3  a copy made with SQLite's online backup API
    DIR/objects/ab/cd/<sha256>   every stored file's bytes, once per content

An area is one place the installation keeps files: `files` (the file store), `archive:<name>`
(an archive storage location), `checkpoints` (the audit checkpoint folders), `uploads`
(uploaded packages waiting for ingest) and `keys` (the audit signing key). Objects are named
by their SHA-256, so the two archive copies of a package, which hold the same bytes, cost
one copy in the backup, and every object's name is its own checksum."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

FORMAT = "diarium-backup/1"
MANIFEST = "manifest.json"
FILES = "files.jsonl"
OBJECTS = "objects"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class Entry:
    """One stored file: where it belongs (area, key; group for an AIP's files, whose key is
    then relative to the group) and what it is (size, sha256)."""

    area: str
    key: str
    size: int
    sha256: str
    group: str = ""

    def line(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v != "" or k != "group"}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"

    @classmethod
    def parse(cls, line: str) -> Entry:
        data = json.loads(line)
        return cls(area=data["area"], key=data["key"], size=int(data["size"]),
                   sha256=data["sha256"], group=data.get("group", ""))


def object_path(root: Path, sha256: str) -> Path:
    return root / OBJECTS / sha256[:2] / sha256[2:4] / sha256


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(root: Path) -> dict:
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(f"{root} is not a Diarium backup: {MANIFEST} is missing")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r} "
                          f"(this Diarium reads {FORMAT})")
    if manifest.get("complete") is not True:
        raise BackupError(f"{root}: the backup was not completed (it stopped while it was "
                          "being made); make a new one")
    return manifest
