"""Deployment checks of the metrics settings (`diarium check --deploy`): a metrics token
must be long and random (it is the only thing between the internet and /metrics when no
address list is set), and every entry of the address list must be an address or network."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_TOKEN_LENGTH = 32


@register(Tags.security, deploy=True)
def metrics_access(app_configs, **kwargs) -> list[Error]:
    errors = []
    token = getattr(settings, "METRICS_TOKEN", "")
    if token and (len(token) < MIN_TOKEN_LENGTH or len(set(token)) < 8):
        errors.append(Error(
            f"DIARIUM_METRICS_TOKEN is weak: use {MIN_TOKEN_LENGTH} or more random characters.",
            hint="python3 -c 'import secrets; print(secrets.token_urlsafe(32))'",
            id="diarium.operations.E001"))
    for item in getattr(settings, "METRICS_ALLOW", []):
        try:
            ipaddress.ip_network(item.strip(), strict=False)
        except ValueError:
            errors.append(Error(f"DIARIUM_METRICS_ALLOW: {item!r} is not an address or a "
                                "network (e.g. 10.0.5.0/24)", id="diarium.operations.E002"))
    return errors
