"""The kinds of job, registered by the apps that do the work.

Each app declares its kinds in its `tasks.py` (found by autodiscovery, like admin.py):

    @kind("archive.fixity", label=_("Fixity audit"), may_view=is_archivist)
    def fixity(job: Job, progress: Progress) -> dict: ...

The handler gets the job (its params, who started it) and a Progress; what it returns
(JSON) is the job's result. An exception in `permanent` fails the job at once (retrying a
refused or invalid request cannot help); any other exception is retried up to the job's
max_attempts. A new kind (mailbox polling, notice take-down) is one more function."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.module_loading import autodiscover_modules

from .models import Job
from .progress import Progress

Handler = Callable[[Job, Progress], Any]
ViewCheck = Callable[[Any], bool]  # may this user see every job of the kind?
Link = Callable[[Job], str | None]  # the page that shows what the job made
# The job's result as labelled rows, in the reader's language (the job page).
Describe = Callable[[dict], list[tuple[str, Any]]]


class JobError(Exception):
    """An error whose message is written for people: the job shows it as it is. Raised as
    such (not as JobFailed), the job is tried again."""


class JobFailed(JobError):
    """The work cannot succeed however often it is tried: fail the job with this message
    (and, when given, a result that says what was done all the same)."""

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


PERMANENT: tuple[type[BaseException], ...] = (
    JobFailed, ValidationError, PermissionDenied, ObjectDoesNotExist)


@dataclass(frozen=True)
class Kind:
    name: str
    handler: Handler
    label: str
    may_view: ViewCheck | None = None
    permanent: tuple[type[BaseException], ...] = PERMANENT
    link: Link | None = None
    describe: Describe | None = None


_KINDS: dict[str, Kind] = {}
_discovered = threading.Event()
_lock = threading.Lock()


class UnknownKind(LookupError):
    pass


def kind(name: str, *, label: str, may_view: ViewCheck | None = None,
         permanent: tuple[type[BaseException], ...] = PERMANENT,
         link: Link | None = None,
         describe: Describe | None = None) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _KINDS[name] = Kind(name, handler, label, may_view, permanent, link, describe)
        return handler
    return register


def autodiscover() -> None:
    if _discovered.is_set():
        return
    with _lock:
        if not _discovered.is_set():
            autodiscover_modules("tasks")
            _discovered.set()


def get(name: str) -> Kind:
    # A kind already registered (the command starting it imported its module) is found
    # without importing every app's tasks: that pulled the registry's and the board's
    # services into every ingest's start-up (docs/performance.md, section 7).
    if name not in _KINDS:
        autodiscover()
    try:
        return _KINDS[name]
    except KeyError as exc:
        raise UnknownKind(name) from exc


def all_kinds() -> dict[str, Kind]:
    autodiscover()
    return dict(_KINDS)


def label(name: str) -> str:
    found = all_kinds().get(name)
    return str(found.label) if found else name


def result_rows(job: Job) -> list[tuple[str, Any]]:
    """The job's result for its page: labelled by its kind when the kind describes it,
    else its keys and values as they are."""
    if not isinstance(job.result, dict):
        return []
    found = all_kinds().get(job.kind)
    if found is not None and found.describe is not None:
        try:
            return found.describe(job.result)
        except (KeyError, TypeError, ValueError):  # a result written by older code
            pass
    return list(job.result.items())


def link(job: Job) -> str | None:
    """The page of what the job works on or made, when its kind knows one."""
    found = all_kinds().get(job.kind)
    try:
        return found.link(job) if found and found.link else None
    except (LookupError, ValueError):
        return None
