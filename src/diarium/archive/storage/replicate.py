"""Making a copy of a stored AIP from another location: the ingest's resume after a crash
and the fixity audit's repair. The source is checked against the inventory while it is
read, the new copy is written to staging, flushed, read back, verified and only then moved
into place (a damaged copy in the way is first moved aside, never deleted)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .durable import open_no_follow
from .filesystem import FilesystemStore
from .verify import Expected, verify_tree
from .writer import TreeWriter


class CopyFailed(Exception):
    """A copy could not be written or did not verify."""


class SourceDamaged(CopyFailed):
    """The copy being read from does not match the inventory."""


def replicate(package_id, expected: Mapping[str, Expected], source: FilesystemStore,
              target: FilesystemStore, advance: Callable[[int], None] | None = None,
              throttle=None) -> None:
    staging = target.new_staging(package_id)
    try:
        writer = TreeWriter([staging])
        for path in sorted(expected):
            fd = open_no_follow(source.file_path(package_id, path))
            with open(fd, "rb", buffering=0) as stream:
                result = writer.copy(path, stream, _throttled(advance, throttle))
            if (result.size, result.sha256) != (expected[path].size, expected[path].sha256):
                raise SourceDamaged(f"{source.name}: {path} does not match the inventory")
        target.sync()
        verdict = verify_tree(staging, expected, advance, throttle)
        if not verdict.ok:
            raise CopyFailed(f"{target.name}: the new copy does not verify: {verdict.summary()}")
        target.quarantine(package_id)
        target.commit(staging, package_id)
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
