"""Importing a plan file into a plan's draft version: all or nothing.

The file is read and checked completely before anything is written; every problem is
reported with its row and column, and when there is any, nothing is imported. The write is
one transaction that replaces the content of the plan's draft (made when there is none)."""

import hashlib
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.transactions import atomic_with_retry
from diarium.plan import selectors
from diarium.plan.content import content_problems
from diarium.plan.io import parsing, reading
from diarium.plan.io.errors import Issue, PlanFileError
from diarium.plan.models import Plan, PlanVersion, RecordType
from diarium.plan.services._common import (
    Actor,
    locked_draft,
    require_plan_editor,
    write_content,
)
from diarium.plan.services.plans import check_base, default_base


@dataclass
class ImportResult:
    version: PlanVersion
    processes: int  # processes the file defined (an authority's: its local ones)
    record_types: int  # record types the file defined (an authority's: its local ones)


def import_plan(actor: Actor, plan: Plan, data: bytes, fmt: str, *,
                base: PlanVersion | None = None, note: str = "") -> ImportResult:
    """Import a CSV, XLSX or JSON plan file into the plan's draft version.

    For an authority's plan the file holds the authority's additions to the base version
    `base` (default: the latest adopted one); rows that repeat the base plan unchanged, as
    in an export of an authority's version, are recognised and skipped.
    Raises PlanFileError listing every problem; then nothing is imported."""
    require_plan_editor(actor, plan)
    table = reading.read_table(data, fmt)
    base_content = None
    if not plan.is_base:
        base = base or default_base(plan)
        check_base(plan, base)
        base_content = parsing.BaseContent(*selectors.version_content(base))
    parsed = parsing.parse_table(table, base_content)
    digest = hashlib.sha256(data).hexdigest()
    return _write(actor, plan, parsed, base, {"format": fmt, "sha256": digest, "note": note})


def _identity_issues(plan: Plan, parsed: parsing.ParsedPlan) -> list[Issue]:
    ids = [r.record_type_id for r in parsed.rules if r.record_type_id]
    owners = dict(RecordType.objects.filter(id__in=ids).values_list("id", "plan_id"))
    return [
        Issue(row, "id", _("The id belongs to a record type of another plan."))
        for rule, row in zip(parsed.rules, parsed.rule_rows, strict=True)
        if rule.record_type_id in owners and owners[rule.record_type_id] != plan.pk
    ]


def _keep_identities(plan: Plan, parsed: parsing.ParsedPlan) -> None:
    """A row without an id is the record type of the same name under the same process in
    the plan's latest version, when there is one."""
    latest = plan.versions.order_by("-number").first()
    if latest is None:
        return
    previous = {
        (code, name.lower()): record_type_id
        for code, name, record_type_id in latest.rules.filter(record_type__plan=plan)
        .values_list("process__code", "name", "record_type_id")
    }
    used = {r.record_type_id for r in parsed.rules if r.record_type_id}
    for rule in parsed.rules:
        if rule.record_type_id is None:
            found = previous.get((rule.process_code, rule.name.lower()))
            if found is not None and found not in used:
                rule.record_type_id = found
                used.add(found)


@atomic_with_retry
def _write(actor: Actor, plan: Plan, parsed: parsing.ParsedPlan, base: PlanVersion | None,
           facts: dict) -> ImportResult:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require_plan_editor(actor, plan)
    if issues := _identity_issues(plan, parsed):
        raise PlanFileError(issues)
    _keep_identities(plan, parsed)
    processes, rules = list(parsed.processes), list(parsed.rules)
    if base is not None:
        base_processes, base_rules = selectors.version_content(base)
        processes, rules = base_processes + processes, base_rules + rules
    if problems := content_problems(processes, rules):
        raise PlanFileError([Issue(None, None, p) for p in problems])
    draft = selectors.draft_of(plan)
    if draft is not None:
        draft = locked_draft(draft)
    else:
        number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = PlanVersion.objects.create(plan=plan, number=number,
                                           created_by=actors.user_of(actor))
    draft.base = base
    draft.save(update_fields=["base"])
    write_content(draft, processes, rules)
    audit.record(actor=actor, action="plan.imported", obj=draft, chain=plan.chain, after={
        **facts, "number": draft.number, "base": base.pk if base else None,
        "processes": len(parsed.processes), "record_types": len(parsed.rules)})
    return ImportResult(draft, len(parsed.processes), len(parsed.rules))
