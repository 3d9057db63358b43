"""Storage by key: the interface every store implements (local disk, S3-compatible object
storage), so that no caller ever holds a path.

A store keeps objects under keys (relative POSIX paths such as `sha256/ab/cd/<hash>`):
- read: `open` (a stream), `exists`, `size`, `list` (an iterator, never a materialised
  listing) and `verify` (read the object back from the medium, not from a cache, and hash it);
- write: `write` (or `sink` for fan-out) writes an object once, from a stream, and returns
  its size and SHA-256 computed while writing; an existing key is never overwritten
  (AlreadyStored); the object is durable when the call returns;
- `delete` takes the reason, which is logged: nothing is removed anonymously.

A *group* is a set of objects under one prefix that becomes visible all at once (an AIP):
`stage` writes it out of sight (each object without its own flush), `flush` makes all staged
objects of the store durable at once, the staging's objects are verified by reading back,
and `commit` publishes the group, refusing when one is already published. A published group
is never changed: it can be `set_aside` (unpublished, kept as evidence) and later replaced,
or deleted whole with a reason (`delete_group`, lawful disposal). The last segment of a
group's prefix names it within the store (the archive uses UUIDs)."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from .streams import Throttle, pump

logger = logging.getLogger("diarium.storage")


class NotStored(FileNotFoundError):
    """No object under this key."""


class AlreadyStored(FileExistsError):
    """The key (or the group) exists: stored objects are never overwritten."""


class StorageFailed(OSError):
    """The store could not be reached or refused the request (network, credentials)."""


@dataclass(frozen=True)
class Written:
    size: int
    sha256: str


@dataclass(frozen=True)
class Listed:
    key: str
    size: int  # -1: something that is not a regular object (a link): counts as damage


class Sink(Protocol):
    """Where one object's bytes go while it is written. `write` must not keep the view it
    is given (the buffer is reused); `close` completes the object, `abort` drops it."""

    def write(self, data: memoryview) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def check_key(key: str) -> str:
    """A key is a relative path without empty, `.` or `..` segments (ValueError)."""
    if (not key or key.startswith("/") or "\x00" in key
            or any(part in ("", ".", "..") for part in key.split("/"))):
        raise ValueError(f"unsafe storage key {key!r}")
    return key


def deleting(store: str, what: str, reason: str) -> None:
    if not reason.strip():
        raise ValueError("a deletion needs a reason")
    logger.info("%s: deleting %s: %s", store, what, reason)


class Group(ABC):
    """A published group (or a staging): its objects by their key below the prefix."""

    prefix: str

    @abstractmethod
    def open(self, relative: str) -> BinaryIO: ...

    @abstractmethod
    def size(self, relative: str) -> int: ...

    @abstractmethod
    def list(self) -> Iterator[Listed]: ...

    @abstractmethod
    def verify(self, relative: str, throttle: Throttle | None = None) -> Written: ...


class Staging(Group):
    """A group being written: invisible until `commit`."""

    @abstractmethod
    def sink(self, relative: str) -> Sink:
        """An object of the group; durable only after the store's `flush`."""

    @abstractmethod
    def commit(self) -> None:
        """Publish the group (AlreadyStored when one is published under the prefix)."""

    @abstractmethod
    def discard(self) -> None:
        """Remove what was staged (best effort; `discard_staged` finds what stays)."""


class Store(ABC):
    name: str
    kind: str

    # -- objects ---------------------------------------------------------------------------
    @abstractmethod
    def open(self, key: str) -> BinaryIO: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def size(self, key: str) -> int: ...

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[Listed]:
        """Objects whose key starts with `prefix` ("" or a folder ending in "/"), in no
        particular order (a local store leaves out its working folders)."""

    @abstractmethod
    def verify(self, key: str, throttle: Throttle | None = None) -> Written: ...

    @abstractmethod
    def sink(self, key: str) -> Sink:
        """A new object under `key`, durable when the sink is closed."""

    def write(self, key: str, stream: BinaryIO,
              advance: Callable[[int], None] | None = None) -> Written:
        return pump(stream, [self.sink(key)], advance)

    @abstractmethod
    def delete(self, key: str, *, reason: str) -> bool:
        """Delete the object for `reason`; False when there was none."""

    # -- groups ----------------------------------------------------------------------------
    @abstractmethod
    def group(self, prefix: str) -> Group | None:
        """The group published under `prefix`, or None."""

    @abstractmethod
    def stage(self, prefix: str) -> Staging: ...

    @abstractmethod
    def discard_staged(self, prefix: str) -> int:
        """Remove what interrupted stagings of the group left; returns how many."""

    @abstractmethod
    def set_aside(self, prefix: str) -> str | None:
        """Unpublish the group, keeping it as evidence; returns where it went."""

    @abstractmethod
    def delete_group(self, prefix: str, *, reason: str) -> list[str]:
        """Delete the group, its stagings and the copies set aside; returns what went."""

    @abstractmethod
    def flush(self) -> None:
        """Make every staged object durable (one flush for many objects)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
