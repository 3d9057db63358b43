"""The list of registers (JO has asked authorities to say where their official documents
are kept): from each plan's latest adopted version, the places where record types are kept
in order (hålls ordnade) instead of registered, and from the systems register the IT
systems that hold official documents. Written into PublicRegister, the projection's table,
after the plan or the systems register changes and by `diarium public rebuild`."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from diarium.plan.models import ITSystem, Plan, Registration, SystemStatus
from diarium.plan.selectors import latest_adopted
from diarium.public.models import PublicRegister, RegisterKind


def _kept_in_order() -> list[PublicRegister]:
    places: dict = defaultdict(set)
    owners: dict = {}
    for plan in Plan.objects.select_related("authority"):
        version = latest_adopted(plan)
        if version is None:
            continue
        owner = plan.authority.name if plan.authority_id else ""
        for rule in version.rules.filter(registration=Registration.KEPT_IN_ORDER):
            place = rule.registration_place.strip() or rule.name
            key = (owner, place)
            places[key].add(rule.name)
            owners[key] = owner
    now = timezone.now()
    return [PublicRegister(key=f"kept:{index}", kind=RegisterKind.KEPT_IN_ORDER, name=place,
                           authority_name=owner, record_types="; ".join(sorted(names)),
                           refreshed_at=now)
            for index, ((owner, place), names) in enumerate(sorted(places.items()))]


def _systems() -> list[PublicRegister]:
    now = timezone.now()
    rows = []
    systems = (ITSystem.objects.exclude(status=SystemStatus.RETIRED)
               .select_related("owner").prefetch_related("record_types__rules"))
    for system in systems:
        names = sorted({rule.name for rt in system.record_types.all() for rule in rt.rules.all()})
        rows.append(PublicRegister(
            key=f"system:{system.pk}", kind=RegisterKind.IT_SYSTEM, name=system.name,
            authority_name=system.owner.name, description=system.description,
            record_types="; ".join(names), refreshed_at=now))
    return rows


@transaction.atomic
def refresh() -> int:
    rows = _kept_in_order() + _systems()
    PublicRegister.objects.all().delete()
    PublicRegister.objects.bulk_create(rows)
    return len(rows)
