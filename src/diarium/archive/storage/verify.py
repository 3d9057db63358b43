"""Checking a stored copy against the inventory: the same set of files, each with the size
and SHA-256 it had when the AIP was written, read back from the medium (a local disk's
pages dropped from the cache first; an S3 object fetched from the server)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from diarium.core.storage import Group, Throttle


@dataclass(frozen=True)
class Expected:
    size: int
    sha256: str


@dataclass
class Verdict:
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    gone: bool = False  # the whole copy is missing
    bytes_read: int = 0

    @property
    def ok(self) -> bool:
        return not (self.gone or self.missing or self.unexpected or self.changed)

    def figures(self, location: str, limit: int = 5) -> dict:
        """The verdict as the figures of an event summary (archive/event_text.py)."""
        figures: dict = {"location": location, "gone": self.gone}
        for key in ("missing", "changed", "unexpected"):
            paths = getattr(self, key)
            figures[key], figures[f"{key}_count"] = paths[:limit], len(paths)
        return figures

    def summary(self, limit: int = 5) -> str:
        if self.gone:
            return "the copy is missing"
        parts = []
        for label, paths in (("missing", self.missing), ("changed", self.changed),
                             ("unexpected", self.unexpected)):
            if paths:
                shown = ", ".join(paths[:limit]) + (" …" if len(paths) > limit else "")
                parts.append(f"{len(paths)} {label}: {shown}")
        return "; ".join(parts) or "all files match"


def verify_copy(copy: Group | None, expected: Mapping[str, Expected],
                advance: Callable[[int], None] | None = None,
                throttle: Throttle | None = None) -> Verdict:
    """Read every file of the copy once and compare; None is a missing copy."""
    verdict = Verdict()
    if copy is None:
        verdict.gone = True
        return verdict
    found = {item.key: item.size for item in copy.list()}
    verdict.missing = sorted(set(expected) - set(found))
    verdict.unexpected = sorted(set(found) - set(expected))
    for path in sorted(set(found) & set(expected)):
        want = expected[path]
        if found[path] != want.size:
            verdict.changed.append(path)
            continue
        try:
            written = copy.verify(path, throttle)
        except OSError:
            verdict.changed.append(path)
            continue
        verdict.bytes_read += written.size
        if advance is not None:
            advance(written.size)
        if (written.size, written.sha256) != (want.size, want.sha256):
            verdict.changed.append(path)
    return verdict
