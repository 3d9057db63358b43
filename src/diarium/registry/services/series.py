"""Diary series (diarieserier): created and changed by the authority's registry, audited in
the authority's chain. A series' code is part of every diary number given in it
(`KS 2026/42`), so it is never changed, and a series is closed, never deleted."""

import re

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


@atomic_with_retry
def create_series(actor: Actor, authority: Authority, *, code: str, name: str) -> DiarySeries:
    _require(actor, authority.pk, REGISTRY_ROLES, "organisation.manage")
    code = code.strip()
    if not CODE.fullmatch(code):
        raise ValidationError({"code": _("A series code is 1–16 capital letters, digits or "
                                         "hyphens, e.g. KS or BUN.")})
    series = DiarySeries(authority=authority, code=code, name=name.strip())
    series.full_clean()
    series.save()
    audit.record(actor=actor, action="series.created", obj=series,
                 chain=f"authority:{authority.pk}",
                 after={"code": series.code, "name": series.name})
    return series


@atomic_with_retry
def update_series(actor: Actor, series: DiarySeries, *, name: str,
                  active: bool = True) -> DiarySeries:
    """Rename a series, or close it (active False: no new cases) or open it again."""
    series = DiarySeries.objects.select_for_update().get(pk=series.pk)
    _require(actor, series.authority_id, REGISTRY_ROLES, "organisation.manage")
    before = {"name": series.name, "active": series.active}
    series.name, series.active = name.strip(), active
    series.full_clean()
    series.save(update_fields=["name", "active"])
    changed_before, changed_after = audit.diff(before, {"name": series.name,
                                                        "active": series.active})
    audit.record(actor=actor, action="series.changed", obj=series,
                 chain=f"authority:{series.authority_id}", before=changed_before,
                 after=changed_after)
    return series
