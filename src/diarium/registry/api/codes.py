"""Choice fields of stored codes for the API's inputs and filters. Until the next release
they also take the Swedish codes stored before (`oppet`, `inkommande`, …: deprecated,
docs/registry.md "Changes"); the schema lists the English codes only."""

from rest_framework import serializers

from diarium.registry.models import LEGACY_CODES


class CodeField(serializers.ChoiceField):
    def to_internal_value(self, data):
        return super().to_internal_value(LEGACY_CODES.get(data, data))
