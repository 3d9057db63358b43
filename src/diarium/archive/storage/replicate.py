"""Making a copy of a stored AIP from another location: the ingest's resume after a crash
and the fixity audit's repair. The source is checked against the inventory while it is
read, the new copy is staged, flushed, read back, verified and only then published (a
damaged copy in the way is first set aside, never deleted)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from diarium.core.storage import Throttle

from .aips import AipStore
from .verify import Expected, verify_copy
from .writer import TreeWriter


class CopyFailed(Exception):
    """A copy could not be written or did not verify."""


class SourceDamaged(CopyFailed):
    """The copy being read from does not match the inventory."""


def replicate(package_id, expected: Mapping[str, Expected], source: AipStore,
              target: AipStore, advance: Callable[[int], None] | None = None,
              throttle: Throttle | None = None) -> None:
    origin = source.copy(package_id)
    if origin is None:
        raise SourceDamaged(f"{source.name}: the copy is missing")
    staging = target.stage(package_id)
    try:
        writer = TreeWriter([staging])
        for path in sorted(expected):
            with origin.open(path) as stream:
                result = writer.copy(path, stream, _throttled(advance, throttle))
            if (result.size, result.sha256) != (expected[path].size, expected[path].sha256):
                raise SourceDamaged(f"{source.name}: {path} does not match the inventory")
        target.sync()
        verdict = verify_copy(staging, expected, advance, throttle)
        if not verdict.ok:
            raise CopyFailed(f"{target.name}: the new copy does not verify: {verdict.summary()}")
        target.quarantine(package_id)
        target.commit(staging)
        target.sync()
    except BaseException:
        target.discard(staging)
        raise


def _throttled(advance, throttle):
    if throttle is None:
        return advance

    def both(n: int) -> None:
        throttle.consume(n)
        if advance is not None:
            advance(n)

    return both
