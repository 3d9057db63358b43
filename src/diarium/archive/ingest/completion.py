"""Bringing every location to a complete, verified copy of an AIP whose inventory is known:
a copy found in place is read back and checked; a missing or damaged one is made again from
a good copy (a resumed ingest, or the fixity audit's repair)."""

from __future__ import annotations

from diarium.archive.event_text import Summary
from diarium.archive.models import AIPFile, CopyState, EventType, Package, StorageLocation
from diarium.archive.storage import AipStore
from diarium.archive.storage.replicate import CopyFailed, replicate
from diarium.archive.storage.verify import Expected, Verdict, verify_copy

from . import records
from .progress import Progress


def expected_files(package: Package) -> dict[str, Expected]:
    return {path: Expected(size, sha) for path, size, sha in
            AIPFile.objects.filter(package=package).values_list("path", "size", "sha256")}


def repair_copies(actor, package: Package, expected: dict[str, Expected],
                  bad: list[tuple[StorageLocation, AipStore]],
                  good: list[AipStore], progress: Progress | None = None,
                  throttle=None, event_type: str = EventType.REPAIR) -> list[str]:
    """Make each bad copy again from the first good copy that reads back correctly.
    Returns the problems left (empty when every copy was made)."""
    problems = []
    advance = progress.advance if progress is not None else None
    for location, store in bad:
        done = False
        for source in good:
            try:
                replicate(package.id, expected, source, store, advance, throttle)
            except CopyFailed as exc:
                problems.append(str(exc))
                continue
            except OSError as exc:
                problems.append(f"{location.name}: {exc}")
                break
            records.copy_verified(actor, package, location,
                                  Summary("copy.copied", {"source": source.name}),
                                  event_type=event_type)
            done = True
            break
        if not done:
            detail = "; ".join(problems) or "no good copy to copy from"
            records.copy_failed(actor, package, location, CopyState.DAMAGED, detail,
                                event_type=event_type)
            problems.append(f"{location.name}: {detail}")
    return problems


def complete_copies(actor, package: Package, locations: list[StorageLocation],
                    stores: list[AipStore], progress: Progress) -> None:
    """The resume of an interrupted ingest: raises CopyFailed unless all copies are good."""
    expected = expected_files(package)
    size = sum(e.size for e in expected.values())
    progress.phase("verify", size * len(stores))
    good: list[AipStore] = []
    bad: list[tuple[StorageLocation, AipStore]] = []
    for location, store in zip(locations, stores, strict=True):
        verdict: Verdict = verify_copy(store.copy(package.id), expected, progress.advance)
        if verdict.ok:
            good.append(store)
            records.copy_verified(actor, package, location, Summary("copy.found"))
        else:
            bad.append((location, store))
    if not bad:
        return
    progress.phase("copy", size * len(bad) * 2)
    problems = repair_copies(actor, package, expected, bad, good, progress,
                             event_type=EventType.REPLICATION)
    if problems:
        raise CopyFailed("; ".join(problems))
