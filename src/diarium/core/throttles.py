"""API rate limits: DRF's throttles with their rates read from settings at each request.

DRF's own classes copy the rates when they are imported, so an operator's change (or a
test's) would need a restart to take effect; these read DIARIUM_API_RATE_USER and
DIARIUM_API_RATE_ANON every time. "off" (or empty) switches a limit off. A refused
request gets 429 problem+json with Retry-After."""

from django.conf import settings
from rest_framework import throttling

_OFF = {"", "off", "none", "0"}


def _rate(name: str) -> str | None:
    value = str(getattr(settings, name, "") or "").strip()
    return None if value.lower() in _OFF else value


class UserRateThrottle(throttling.UserRateThrottle):
    """Per signed-in user (or per client address for anonymous requests)."""

    def get_rate(self) -> str | None:
        return _rate("API_RATE_USER")


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Per client address, for requests without a user (only the schema and docs)."""

    def get_rate(self) -> str | None:
        return _rate("API_RATE_ANON")
