"""Reads that the plan's pages, forms and API need besides the plan itself: the user's
municipality, the authorities that have a plan, record types to choose for a system."""

import uuid
from collections.abc import Iterable

from django.db.models import F, QuerySet

from diarium.organisation.models import Authority, Municipality, User
from diarium.organisation.selectors import access_for
from diarium.plan.models import Checklist, ChecklistItem, Plan, RecordTypeRule
from diarium.plan.selectors import (
    PLAN_ROLES,
    can_read,
    draft_of,
    latest_adopted,
    rules,
)


def home_municipality(user: User | None) -> Municipality | None:
    """The municipality the user works in (of the first authority where they hold a role)."""
    if user is None or not user.is_authenticated:
        return None
    ids = access_for(user).authority_ids()
    authority = Authority.objects.filter(id__in=ids).order_by("code").first()
    if authority is None:
        return Municipality.objects.order_by("code").first() if user.is_superuser else None
    return authority.municipality


def record_type_names(record_type_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each record type's name in the latest version of the plan that introduced it."""
    rows = (RecordTypeRule.objects.filter(record_type_id__in=list(record_type_ids),
                                          version__plan=F("record_type__plan"))
            .order_by("version__number").values_list("record_type_id", "name"))
    return dict(rows)  # later versions overwrite earlier ones


def record_type_choices(municipality_id) -> list[tuple[uuid.UUID, str]]:
    """Record types of the municipality's plans, as (id, "2.2.4 Sjukfrånvaroanmälningar"),
    taken from the latest adopted (else draft) version of each plan."""
    chosen: dict[uuid.UUID, tuple[str, str]] = {}
    for plan in Plan.objects.filter(municipality_id=municipality_id):
        version = latest_adopted(plan) or draft_of(plan)
        if version is None:
            continue
        for rule in rules(version).filter(record_type__plan=plan):
            chosen[rule.record_type_id] = (rule.process.sort_key,
                                           f"{rule.process.code} {rule.name}")
    return [(pk, label) for pk, (_key, label) in sorted(chosen.items(), key=lambda i: i[1])]


def authorities_with_plans(user: User | None) -> QuerySet[Authority]:
    """Authorities that have a plan of their own, by name (everyone reads every plan)."""
    qs = Authority.objects.filter(plans__isnull=False).distinct().order_by("name")
    return qs if can_read(user) else qs.none()


def default_authority(user: User, among: Iterable[Authority]) -> Authority | None:
    """The first of `among` where the user holds a role, else the first of them."""
    among = list(among)
    mine = access_for(user).authority_ids()
    return next((a for a in among if a.pk in mine), among[0] if among else None)


def owner_choices(user: User, municipality_id) -> QuerySet[Authority]:
    """Authorities of the municipality whose systems the user may register and edit."""
    mine = access_for(user).authorities_with(PLAN_ROLES)
    return Authority.objects.filter(municipality_id=municipality_id, id__in=mine).order_by("name")


def get_checklist_item(user: User | None, item_id) -> ChecklistItem:
    qs = ChecklistItem.objects.select_related("checklist__system")
    return (qs if can_read(user) else qs.none()).get(pk=item_id)


def checklist_items(checklist: Checklist) -> QuerySet[ChecklistItem]:
    return checklist.items.select_related("done_by").order_by("position")
