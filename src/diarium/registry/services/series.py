"""Diary series (diarieserier): created and changed by the authority's registry, audited in
the authority's chain. A series' code is part of every diary number given in it
(`KS 2026/42`), so it is never changed, and a series is closed, never deleted.

A series may write its numbers its own way (`number_format`, `number_padding`; empty: the
installation's). The format must hold the series, the year and the number, so that two
numbers never read the same, and no colon, which separates a document's number
(`KS 2026/42:3`). A new format applies to numbers given afterwards."""

import re
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority
from diarium.organisation.selectors import REGISTRY_ROLES
from diarium.registry.models import DiarySeries
from diarium.registry.services._common import _require

# Capital letters (Swedish included), digits and hyphens: what a diary number shows.
CODE = re.compile(r"[0-9A-ZÅÄÖ][0-9A-ZÅÄÖ-]{0,15}")
NUMBER_FIELDS = {"series", "year", "number"}
MAX_PADDING = 10


def check_number_format(fmt: str, padding: int | None) -> dict[str, str]:
    """Errors of a series' number format and padding, by field (empty when both are
    fine). An empty format and a padding of None mean the installation's."""
    errors: dict[str, str] = {}
    if fmt:
        try:
            parts = list(string.Formatter().parse(fmt))
        except ValueError:
            parts = None
        names = [name for _text, name, _spec, _conv in parts or [] if name is not None]
        plain = all(not spec and not conv for _t, name, spec, conv in parts or []
                    if name is not None)
        if parts is None or sorted(names) != sorted(NUMBER_FIELDS) or not plain \
                or ":" in "".join(text for text, *_rest in parts):
            errors["number_format"] = _(
                "A number format holds {series}, {year} and {number} once each and no "
                "colon, e.g. {series} {year}/{number}.")
    if padding is not None and not 0 <= padding <= MAX_PADDING:
        errors["number_padding"] = _("Zero padding is a width from 0 to %(max)d.") % {
            "max": MAX_PADDING}
    return errors


@atomic_with_retry
def create_series(actor: Actor, authority: Authority, *, code: str, name: str,
                  active: bool = True, number_format: str = "",
                  number_padding: int | None = None) -> DiarySeries:
    _require(actor, authority.pk, REGISTRY_ROLES, "organisation.manage")
    code, number_format = code.strip(), number_format.strip()
    errors = check_number_format(number_format, number_padding)
    if not CODE.fullmatch(code):
        errors["code"] = _("A series code is 1–16 capital letters, digits or hyphens, e.g. "
                           "KS or BUN.")
    if errors:
        raise ValidationError(errors)
    series = DiarySeries(authority=authority, code=code, name=name.strip(), active=active,
                         number_format=number_format, number_padding=number_padding)
    series.full_clean()
    series.save()
    audit.record(actor=actor, action="series.created", obj=series,
                 chain=f"authority:{authority.pk}", after=_snapshot(series))
    return series


def _snapshot(series: DiarySeries) -> dict:
    return {"code": series.code, "name": series.name, "active": series.active,
            "number_format": series.number_format, "number_padding": series.number_padding}


KEEP = object()  # update_series: leave the number format as it is


@atomic_with_retry
def update_series(actor: Actor, series: DiarySeries, *, name: str, active: bool = True,
                  number_format=KEEP, number_padding=KEEP) -> DiarySeries:
    """Rename a series, close it (active False: no new cases) or open it again, or change
    how it writes the numbers it gives from now on (number_format, number_padding; left
    out: unchanged)."""
    series = DiarySeries.objects.select_for_update().get(pk=series.pk)
    _require(actor, series.authority_id, REGISTRY_ROLES, "organisation.manage")
    before = _snapshot(series)
    series.name, series.active = name.strip(), active
    if number_format is not KEEP:
        series.number_format = str(number_format).strip()
    if number_padding is not KEEP:
        series.number_padding = number_padding
    errors = check_number_format(series.number_format, series.number_padding)
    if errors:
        raise ValidationError(errors)
    series.full_clean()
    series.save(update_fields=["name", "active", "number_format", "number_padding"])
    changed_before, changed_after = audit.diff(before, _snapshot(series))
    audit.record(actor=actor, action="series.changed", obj=series,
                 chain=f"authority:{series.authority_id}", before=changed_before,
                 after=changed_after)
    return series
