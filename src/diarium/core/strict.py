"""Text fields take text: a number or a boolean sent for a text field is a 400.

DRF's CharField turns a JSON number into text (`"title": 5` becomes "5"), while the
OpenAPI schema promises `type: string`; a client that sends a number by mistake should be
told, not have its value quietly changed. Forms always send text, so only JSON clients
see a difference. Installed once at start-up by CoreConfig.ready for every CharField
(and its subclasses: e-mail, regex, slug, URL fields)."""

from rest_framework import serializers

_lenient = serializers.CharField.to_internal_value


def _strict(self, data):
    if not isinstance(data, str):
        self.fail("invalid")
    return _lenient(self, data)


def install() -> None:
    serializers.CharField.to_internal_value = _strict
