"""Which cases have been exported, and where: one small JSON marker per case in
<out dir>/exported/<case id>.json, written atomically after its package is in place.
No database table: the output folder is the record, so a re-run skips what is there.

`exported_package(case_id, out_dir)` is the function for "where is this case archived"."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

MARKER_DIR = "exported"


@dataclass(frozen=True)
class ExportRecord:
    case_id: str
    diary_number: str
    version: int
    objid: str  # the package's OBJID (also its folder or ZIP name)
    package: str  # file or folder name in the output folder
    format: str  # "folder" or "zip"
    exported_at: str
    files: int
    bytes: int

    def path(self, out_dir: Path) -> Path:
        return Path(out_dir) / self.package


def package_id(case_id, version: int) -> str:
    """The producer's package id (METS OBJID): the same case and version always give the
    same id, so a repeated export names the same package."""
    return f"diarium-{case_id}-v{version}"


def _marker(out_dir: Path, case_id) -> Path:
    return Path(out_dir) / MARKER_DIR / f"{case_id}.json"


def read_record(out_dir: Path, case_id) -> ExportRecord | None:
    try:
        data = json.loads(_marker(out_dir, case_id).read_text(encoding="utf-8"))
        return ExportRecord(**data)
    except (FileNotFoundError, ValueError, TypeError):
        return None


def write_record(out_dir: Path, record: ExportRecord) -> None:
    target = _marker(out_dir, record.case_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(record), out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def export_records(out_dir: Path) -> Iterator[ExportRecord]:
    folder = Path(out_dir) / MARKER_DIR
    if not folder.is_dir():
        return
    for marker in sorted(folder.glob("*.json")):
        record = read_record(out_dir, marker.stem)
        if record is not None:
            yield record


def exported_package(case_id, out_dir: Path) -> ExportRecord | None:
    """The latest export of the case whose package is still in the output folder."""
    record = read_record(out_dir, case_id)
    if record is None or not record.path(out_dir).exists():
        return None
    return record
