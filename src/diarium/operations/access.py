"""Who may read /metrics: a scraper that sends the bearer token DIARIUM_METRICS_TOKEN, or
one whose address is in DIARIUM_METRICS_ALLOW (addresses or networks, e.g.
`10.0.5.0/24`; the client address as the login lockout takes it, see DIARIUM_PROXY_COUNT).

With neither set, /metrics does not exist (404): the figures (request rates, job kinds and
failures, how many workers run) help an attacker time and aim an attack, and an endpoint
that is not there cannot be misconfigured open."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

from diarium.organisation.lockout import client_address

CONFIGURED, ALLOWED, NO_TOKEN, FORBIDDEN = "configured", "allowed", "no-token", "forbidden"


def networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The allowed networks; an entry that is none is left out (`check --deploy` names it)."""
    found = []
    for item in getattr(settings, "METRICS_ALLOW", []):
        try:
            found.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return found


def configured() -> bool:
    return bool(getattr(settings, "METRICS_TOKEN", "") or networks())


def _token_matches(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode())


def _address_allowed(request: HttpRequest) -> bool:
    address = client_address(request)
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks())


def decide(request: HttpRequest) -> str:
    """ALLOWED, or why not: NO_TOKEN (a token would be accepted) or FORBIDDEN."""
    if _token_matches(request) or _address_allowed(request):
        return ALLOWED
    return NO_TOKEN if getattr(settings, "METRICS_TOKEN", "") else FORBIDDEN
