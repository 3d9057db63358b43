"""Every read of the plan, and the questions the registry asks it.

Permissions: the plan is no secret, so every staff member (anyone holding a role) reads all
of it; archivists and administrators of the plan's authority edit it, and any archivist or
administrator in the municipality edits the municipality-wide base plan."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from diarium.core.actors import is_principal
from diarium.organisation.models import Authority, Role, User
from diarium.organisation.selectors import access_for
from diarium.plan.content import ProcessData, RuleData
from diarium.plan.io import exporting
from diarium.plan.models import (
    Checklist,
    ChecklistTemplate,
    ITSystem,
    Plan,
    PlanVersion,
    Process,
    RecordTypeRule,
    VersionStatus,
)
from diarium.plan.retention import Retention, disposal_date  # noqa: F401  (re-exported)

PLAN_ROLES = frozenset({Role.ARCHIVIST, Role.ADMINISTRATOR})


# --- permissions ---------------------------------------------------------------------


def can_read(user: User | None) -> bool:
    """Staff read the plan; so do system principals (the operator's export)."""
    return user is None or is_principal(user) or user.is_superuser or (
        user.is_authenticated and access_for(user).is_staff_member
    )


def can_edit_municipality(user: User | None, municipality_id) -> bool:
    """Base plan and checklist templates: an archivist or administrator in any of the
    municipality's authorities. None is the system itself (command line, demo loader)."""
    if user is None or user.is_superuser:
        return True
    if not user.is_authenticated:
        return False
    mine = access_for(user).authorities_with(PLAN_ROLES)
    return Authority.objects.filter(municipality_id=municipality_id, id__in=mine).exists()


def can_edit_plan(user: User | None, plan: Plan) -> bool:
    if plan.authority_id is None:
        return can_edit_municipality(user, plan.municipality_id)
    return user is None or (user.is_authenticated and access_for(user).has(plan.authority_id,
                                                                               PLAN_ROLES))


def can_edit_system(user: User | None, system: ITSystem) -> bool:
    return user is None or (user.is_authenticated and access_for(user).has(system.owner_id,
                                                                               PLAN_ROLES))


def _readable(user: User | None, qs: QuerySet) -> QuerySet:
    return qs if can_read(user) else qs.none()


# --- plans and versions --------------------------------------------------------------


def visible_plans(user: User | None) -> QuerySet[Plan]:
    return _readable(user, Plan.objects.select_related("municipality", "authority"))


def get_plan(user: User | None, plan_id) -> Plan:
    return visible_plans(user).get(pk=plan_id)


def base_plan(municipality_id) -> Plan | None:
    return Plan.objects.filter(municipality_id=municipality_id, authority__isnull=True).first()


def authority_plan(authority_id) -> Plan | None:
    return Plan.objects.filter(authority_id=authority_id).first()


def versions(user: User | None, plan: Plan) -> QuerySet[PlanVersion]:
    return _readable(user, plan.versions.select_related("base", "adopted_by").order_by("-number"))


def get_version(user: User | None, version_id) -> PlanVersion:
    return _readable(user, PlanVersion.objects.select_related("plan", "base")).get(pk=version_id)


def draft_of(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(status=VersionStatus.DRAFT).first()


def latest_adopted(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(status=VersionStatus.ADOPTED).order_by("-number").first()


def processes(version: PlanVersion) -> QuerySet[Process]:
    return version.processes.order_by("sort_key")


def rules(version: PlanVersion) -> QuerySet[RecordTypeRule]:
    return version.rules.select_related("process", "record_type").order_by("process__sort_key",
                                                                            "name")


def version_content(version: PlanVersion) -> tuple[list[ProcessData], list[RuleData]]:
    procs = [ProcessData(p.code, p.name, p.is_local) for p in processes(version)]
    return procs, [RuleData.from_rule(r) for r in rules(version)]


def version_numbered(user: User | None, plan: Plan, number: int) -> PlanVersion:
    return versions(user, plan).get(number=number)


def shown_version(user: User | None, plan: Plan, on_date: dt.date) -> PlanVersion | None:
    """The version to show by default: an authority's version in force on the date, else
    the latest adopted one (the base plan, or one valid from a later date), else the draft."""
    if not can_read(user):
        return None
    found = version_in_force(plan.authority_id, on_date) if plan.authority_id else None
    return found or latest_adopted(plan) or draft_of(plan)


def export_version(user: User | None, version: PlanVersion, fmt: str) -> bytes:
    """The version as a file in the import column set (csv, xlsx or json), or as a
    printable PDF (pdf)."""
    version = get_version(user, version.pk)
    procs, rule_data = version_content(version)
    if fmt == "pdf":
        from diarium.plan.io import pdf

        return pdf.render(procs, rule_data, pdf.PdfMeta(version.plan.name,
                                                        version_summary(version)))
    meta = exporting.ExportMeta(
        plan=version.plan.name, version=version.number, status=version.status,
        decision_reference=version.decision_reference,
        valid_from=version.valid_from.isoformat() if version.valid_from else "",
    )
    return exporting.render(exporting.content_rows(procs, rule_data), fmt, meta)


def version_summary(version: PlanVersion) -> str:
    """"Version 2, adopted 2026-03-14 (KS 2026-03-14 § 45), valid from 2026-04-01"."""
    if not version.is_adopted:
        return _("Version %(n)s, draft (not adopted)") % {"n": version.number}
    return _("Version %(n)s, adopted %(date)s (%(reference)s), valid from %(valid)s") % {
        "n": version.number, "date": version.decision_date, "valid": version.valid_from,
        "reference": version.decision_reference}


# --- the questions the registry asks -------------------------------------------------


def version_in_force(authority_id, on_date: dt.date) -> PlanVersion | None:
    """The authority's adopted plan version that applies on the date (the latest one valid
    from that date or earlier), or None when the authority has adopted none by then."""
    return (
        PlanVersion.objects.filter(
            plan__authority_id=authority_id, status=VersionStatus.ADOPTED,
            valid_from__lte=on_date,
        )
        .order_by("-valid_from", "-number")
        .first()
    )


def rules_in_force(authority_id, on_date: dt.date) -> QuerySet[RecordTypeRule]:
    version = version_in_force(authority_id, on_date)
    if version is None:
        return RecordTypeRule.objects.none()
    return rules(version)


def rule_for(authority_id, record_type_id, on_date: dt.date) -> RecordTypeRule | None:
    """The rule for a record type in the authority's plan in force on the date. A document
    keeps this rule's id from its registration on; the row never changes."""
    version = version_in_force(authority_id, on_date)
    if version is None:
        return None
    return (
        RecordTypeRule.objects.select_related("process", "version")
        .filter(version=version, record_type_id=record_type_id)
        .first()
    )


def process_in_force(authority_id, code: str, on_date: dt.date) -> Process | None:
    version = version_in_force(authority_id, on_date)
    return version.processes.filter(code=code).first() if version else None


def get_rule(rule_id) -> RecordTypeRule:
    return RecordTypeRule.objects.select_related("process", "version", "version__plan").get(
        pk=rule_id
    )


def retentions(rule_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Retention]:
    """The retention part of many rules, for streaming disposal reports: one query, then
    `disposal_date(retention, dates)` per document without touching the database."""
    rows = RecordTypeRule.objects.filter(pk__in=list(rule_ids)).values_list(
        "pk", "disposition", "period_amount", "period_unit", "trigger", "count_from_year_end"
    )
    return {pk: Retention(*values) for pk, *values in rows}


# --- systems register and checklists --------------------------------------------------


def visible_systems(user: User | None) -> QuerySet[ITSystem]:
    return _readable(user, ITSystem.objects.select_related("owner", "administrator"))


def get_system(user: User | None, system_id) -> ITSystem:
    return visible_systems(user).get(pk=system_id)


def systems_holding(user: User | None, record_type_id) -> QuerySet[ITSystem]:
    return visible_systems(user).filter(record_types=record_type_id)


def checklist_templates(user: User | None, municipality_id) -> QuerySet[ChecklistTemplate]:
    qs = ChecklistTemplate.objects.filter(municipality_id=municipality_id)
    return _readable(user, qs.prefetch_related("items"))


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def checklists(user: User | None, system: ITSystem) -> QuerySet[Checklist]:
    """The system's checklists, each annotated with `done` and `total` item counts."""
    qs = system.checklists.annotate(
        total=Count("items"), done=Count("items", filter=Q(items__done=True))
    ).order_by("created_at")
    return _readable(user, qs)


def checklist_progress(checklist: Checklist) -> Progress:
    counts = checklist.items.aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    return Progress(done=counts["done"], total=counts["total"])
