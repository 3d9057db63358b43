"""Python's cyclic garbage collector, set for a long-running server process.

Measured on the case page at 1 000 000 documents (docs/performance.md, section 3): with
the interpreter's defaults, one request in seven paid for a full collection of every
object the process holds (Django, the apps, their modules: 130–180 ms of CPU each), a
quarter of the pages' CPU in all. Objects made while the application loads live as long
as the process, so they are moved out of the collector's sight (`gc.freeze`), and the
youngest generation is collected after 10 000 new objects rather than 700, so that a
page's short-lived objects are mostly freed by reference counting before a collection
would look at them. Memory: at most that many objects more awaiting a collection."""

import gc

YOUNGEST = 10_000  # the interpreter's default is 700


def settle() -> None:
    """Call once the application is loaded (wsgi.py, asgi.py): what exists now is kept.
    The URL configuration, which imports every view, is loaded first (Django would
    load it at the first request)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads the views)
    gc.collect()
    gc.freeze()
    _first, second, third = gc.get_threshold()
    gc.set_threshold(YOUNGEST, second, third)
