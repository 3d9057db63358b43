"""The public portal's rate limit per client address: its search pages, feeds and open
API share one budget (DIARIUM_PUBLIC_RATE, e.g. "120/minute"; "off" switches it off).
Counted in the cache like the API's own limits (core/throttles.py)."""

from django.conf import settings
from rest_framework import throttling

_OFF = {"", "off", "none", "0"}


class PublicRateThrottle(throttling.SimpleRateThrottle):
    scope = "public"

    def get_rate(self) -> str | None:
        value = str(getattr(settings, "PUBLIC_RATE", "") or "").strip()
        return None if value.lower() in _OFF else value

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def refused_for(request) -> int | None:
    """Seconds to wait when this client is over the limit, else None (for plain Django
    views; DRF views list the throttle class)."""
    throttle = PublicRateThrottle()
    if throttle.rate is None or throttle.allow_request(request, None):
        return None
    return int(throttle.wait() or 1) + 1
