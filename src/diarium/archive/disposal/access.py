"""Who handles disposal, and the reads of disposal lists and archive holds.

Disposal is the archivists' and the administrators' of the authority (as the disposal
report is): others are refused (403), and another authority's lists, items, records and
holds do not exist for them (404)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from diarium.archive.models import (
    ArchiveHold,
    DisposalItem,
    DisposalRun,
    ItemState,
    Package,
)
from diarium.core import actors
from diarium.core.jobs.models import Job
from diarium.core.jobs.selectors import latest_for
from diarium.organisation.models import Role, User
from diarium.organisation.selectors import access_for
from diarium.plan.models import RecordTypeRule

DISPOSAL_ROLES = frozenset({Role.ARCHIVIST, Role.ADMINISTRATOR})
JOB_KIND = "archive.dispose"


def authority_ids(user: User) -> set:
    actors.check_present(user)
    if not user.is_authenticated:
        return set()
    return access_for(user).authorities_with(DISPOSAL_ROLES)


def may_dispose(user: User) -> bool:
    return bool(authority_ids(user))


def handles(user: User, authority_id) -> bool:
    """Whether the user handles the authority's disposal (draws up, decides, holds,
    executes). Services ask through diarium.core.actors.require, which answers for system
    principals from their declared permissions."""
    actors.check_present(user)
    return user.is_authenticated and access_for(user).has(authority_id, DISPOSAL_ROLES)


def runs(user: User) -> QuerySet[DisposalRun]:
    return DisposalRun.objects.select_related(
        "authority", "record_type", "created_by", "decided_by", "executed_by",
        "certificate_pdf", "certificate_json",
    ).filter(authority_id__in=authority_ids(user))


def get_run(user: User, run_id) -> DisposalRun:
    return runs(user).get(pk=run_id)


def items(run: DisposalRun, state: str | None = None) -> QuerySet[DisposalItem]:
    found = run.items.all()
    if state:
        found = found.filter(state=state)
    return found.order_by("position")


def counts(run: DisposalRun) -> dict[str, int]:
    """Items per state, every state present; `held` counts items skipped for a hold."""
    found = dict.fromkeys(ItemState.values, 0)
    for row in run.items.values("state").annotate(n=Count("id")).order_by():
        found[row["state"]] = row["n"]
    found["held"] = run.items.filter(held=True).count()
    found["total"] = sum(found[s] for s in ItemState.values)
    return found


def record_type_name(run: DisposalRun) -> str:
    """The name of the record type a list is limited to ("" for all), as the plan's
    latest version names it."""
    if run.record_type_id is None:
        return ""
    name = (RecordTypeRule.objects.filter(record_type_id=run.record_type_id)
            .order_by("-version__number").values_list("name", flat=True).first())
    return name or str(run.record_type_id)


def latest_job(run: DisposalRun) -> Job | None:
    return latest_for(run, JOB_KIND)


def holds(user: User) -> QuerySet[ArchiveHold]:
    return ArchiveHold.objects.select_related(
        "package", "package__creator", "package__description", "placed_by", "released_by",
    ).filter(package__creator__authority_id__in=authority_ids(user))


def get_hold(user: User, hold_id) -> ArchiveHold:
    return holds(user).get(pk=hold_id)


def holdable_packages(user: User) -> QuerySet[Package]:
    return Package.objects.select_related("creator").filter(
        creator__authority_id__in=authority_ids(user))
