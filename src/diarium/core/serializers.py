"""A DRF serializer base whose declared fields cost less to copy per instance.

DRF deep-copies every declared field for every serializer instance (`Serializer.get_fields`),
and a field's deep copy runs its `__init__` again with deep-copied arguments. For the API's
case create that was about a tenth of the request's CPU, input and answer together
(docs/performance.md, section 2)."""

import copy
from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field


def instance_copy(field: Field) -> Field:
    """A declared field for one serializer instance.

    A leaf field is not changed after it is made except by `bind()`, which sets attributes
    on the copy (name, parent, label, source), and by its lazy validators, also set on the
    copy; so a copy of its attributes serves. A field that holds fields (a nested
    serializer, a list's `child`, a many-relation's `child_relation`) is deep-copied as DRF
    does, since its child was bound to the original when it was made: a shallow copy would
    share that child, whose parent (and so whose context) would be the original's."""
    if (
        isinstance(field, serializers.BaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    ):
        return copy.deepcopy(field)
    fresh = object.__new__(type(field))
    fresh.__dict__.update(field.__dict__)
    return fresh


# `serializers.Serializer` with declared fields copied by `instance_copy`. No docstring:
# the schema would give it to every subclass without one of its own.
class Serializer(serializers.Serializer):
    def get_fields(self) -> dict[str, Any]:
        return {name: instance_copy(field) for name, field in self._declared_fields.items()}
