"""What an order covers: which records (ERMS aggregations and records) and which files of
the AIP, with the renditions (e.g. PDF/A) the AIP holds of the chosen files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from diarium.archive.models import AIPFile, ArchiveRecord, FileRole, Package, RecordKind

SUBMISSION = "submission/"
REPRESENTATIONS = "submission/representations/"


@dataclass
class Selection:
    records: list[ArchiveRecord] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # AIP paths of content files
    unknown: list[str] = field(default_factory=list)  # asked-for paths not in the AIP


def data_files(package: Package) -> dict[str, AIPFile]:
    """The AIP's content files: representations/<name>/data/… of the submitted SIP."""
    files = AIPFile.objects.filter(package=package, role=FileRole.SUBMISSION,
                                   path__startswith=REPRESENTATIONS)
    return {f.path: f for f in files if "/data/" in f.path[len(REPRESENTATIONS):]}


def split(path: str) -> tuple[str, str]:
    """(representation, path inside its data folder) of an AIP content path."""
    representation, _, rest = path[len(REPRESENTATIONS):].partition("/")
    return representation, rest.partition("/")[2]


def stem(path: str) -> str:
    """The path inside its representation's data folder, without its extension."""
    return str(PurePosixPath(split(path)[1]).with_suffix(""))


def renditions(chosen: Iterable[str], available: Iterable[str]) -> list[str]:
    """Files of other representations with the same path (extension aside) as a chosen
    file: the renditions a producer delivered, such as a PDF/A beside the original."""
    chosen = set(chosen)
    wanted = {(split(p)[0], stem(p)) for p in chosen}
    stems = {name for _rep, name in wanted}
    return sorted(p for p in available if p not in chosen and stem(p) in stems
                  and (split(p)[0], stem(p)) not in wanted)


def normalise(path: str) -> str:
    path = path.strip().lstrip("/")
    return path if path.startswith(SUBMISSION) else SUBMISSION + path


def select(package: Package, records: Iterable[ArchiveRecord] = (),
           paths: Iterable[str] = ()) -> Selection:
    """Nothing chosen means the whole package. The package's aggregations (the case's own
    metadata) always come along: the delivered metadata describes the case."""
    files = data_files(package)
    every = list(package.records.all())
    chosen_records = {r.pk for r in records}
    asked = [normalise(p) for p in paths]
    if not chosen_records and not asked:
        return Selection(every, sorted(files))
    unknown = [p for p in asked if p not in files]
    chosen_paths = {p for p in asked if p in files}
    for record in every:
        if record.pk in chosen_records:
            chosen_paths.update(p for p in record.paths if p in files)
    included = [r for r in every if r.kind == RecordKind.AGGREGATION or r.pk in chosen_records
                or chosen_paths.intersection(r.paths)]
    chosen_paths.update(renditions(chosen_paths, files))
    return Selection(included, sorted(chosen_paths), unknown)


def owners(records: Iterable[ArchiveRecord]) -> dict[str, list[ArchiveRecord]]:
    """AIP path -> the records (not aggregations) whose files include it."""
    found: dict[str, list[ArchiveRecord]] = {}
    for record in records:
        if record.kind == RecordKind.RECORD:
            for path in record.paths:
                found.setdefault(path, []).append(record)
    return found
