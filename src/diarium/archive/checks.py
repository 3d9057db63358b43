"""Deployment checks of the e-archive (`diarium check --deploy`): every AIP is kept in two
independent locations, so fewer than two distinct locations, or one the process cannot
write, is an error."""

from pathlib import Path

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from diarium.archive.conf import configured_locations
from diarium.core.checks import writable


@register(Tags.security, deploy=True)
def archive_locations(app_configs, **kwargs) -> list[Error]:
    try:
        locations = configured_locations()
    except ImproperlyConfigured as exc:
        return [Error(f"DIARIUM_ARCHIVE_LOCATIONS: {exc}", id="diarium.archive.E001")]
    errors = []
    if len({loc.path for loc in locations}) < 2:
        errors.append(Error(
            "The archive has fewer than two distinct storage locations: every package "
            "must be kept in two copies.",
            hint="Set DIARIUM_ARCHIVE_LOCATIONS to two paths on different disks or machines.",
            id="diarium.archive.E001"))
    errors += [Error(f"The archive location {loc.name} ({loc.path}) is not writable.",
                     id="diarium.archive.E002")
               for loc in locations
               if loc.kind == "filesystem" and not writable(Path(loc.path))]
    return errors
