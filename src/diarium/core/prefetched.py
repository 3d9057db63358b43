"""Prefetch caches filled without a query, for records whose related rows are known to be
none: a case opened in this transaction has no documents, parties nor related cases yet.

`obj.<relation>.all()` then yields nothing without reading, or even building, a query: an
unevaluated `Model.objects.none()` in the cache still compiles the model's whole SELECT
each time it is iterated, only to find that it is empty (docs/performance.md, section 2)."""

import copy

from django.db.models import Model


def set_empty(obj: Model, *relations: str) -> None:
    """Mark each named relation of obj (a forward many-to-many or a reverse foreign key,
    by the name its manager has on obj) as prefetched and empty."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in relations:
        related = type(obj)._meta.get_field(name).related_model
        empty = related._default_manager.none()
        # What Django's own prefetch does with the rows it read: an evaluated result.
        empty._result_cache = []
        empty._prefetch_done = True
        cache[name] = empty


def with_empty(obj: Model, *relations: str) -> Model:
    """A copy of obj with those relations marked empty (set_empty), for a reader that
    must not change the caller's object: the caller may add rows to them afterwards."""
    view = copy.copy(obj)
    view.__dict__["_prefetched_objects_cache"] = dict(
        obj.__dict__.get("_prefetched_objects_cache", {}))
    set_empty(view, *relations)
    return view
