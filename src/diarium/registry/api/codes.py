"""Choice fields of stored codes for the API's inputs and filters. Until the next release
they also take the Swedish codes stored before (`oppet`, `inkommande`, …: deprecated,
docs/registry.md "Changes"); the schema lists the English codes only."""

from rest_framework import serializers

from diarium.registry.models import LEGACY_CODES


class CodeField(serializers.ChoiceField):
    def to_internal_value(self, data):
        # Only a string can be an old code; anything else (a list, an object) is refused by
        # the choice field itself with a field error, never looked up.
        if isinstance(data, str):
            data = LEGACY_CODES.get(data, data)
        return super().to_internal_value(data)
