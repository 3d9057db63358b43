"""Serializers for records that may be shown as a stub.

A secret record that the user may see but not read (own authority, outside the case's
access group) is represented by its stub fields only, plus `redacted: true`. Which records
are readable is decided by the view through the registry's selectors and passed in the
context as `readable` (a set of ids); a record missing from it is never shown in full."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension

from diarium.core.serializers import Serializer


class RedactableSerializer(Serializer):
    # Subclasses declare the stub fields, including `is_secret` and
    # `redacted = serializers.SerializerMethodField()`, and a docstring (the schema's text).
    stub_fields: tuple[str, ...] = ("id", "is_secret", "redacted")

    def is_redacted(self, instance: Any) -> bool:
        return instance.pk not in self.context.get("readable", set())

    def get_redacted(self, instance: Any) -> bool:
        return self.is_redacted(instance)

    def to_representation(self, instance: Any) -> dict:
        if not self.is_redacted(instance):
            return super().to_representation(instance)
        stub = {}
        for name in self.stub_fields:
            field = self.fields[name]
            stub[name] = field.to_representation(field.get_attribute(instance))
        return stub


class RedactableSerializerExtension(OpenApiSerializerExtension):
    """In the schema only the stub fields are required: the rest are absent from a stub."""

    target_class = RedactableSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        stub = set(self.target.stub_fields)
        schema["required"] = [name for name in schema.get("required", []) if name in stub]
        schema["description"] = (
            (schema.get("description") or "")
            + "\n\nA secret record the user may not read is shown as a stub with only "
            + ", ".join(f"`{n}`" for n in self.target.stub_fields)
            + " (`redacted` is then true)."
        ).strip()
        return schema
