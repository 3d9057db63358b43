"""Helpers shared by the plan's services: permission checks and writing a version's rows."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.core import actors
from diarium.core.actors import Actor
from diarium.plan import selectors
from diarium.plan.content import ProcessData, RuleData
from diarium.plan.models import (
    Plan,
    PlanVersion,
    Process,
    RecordType,
    RecordTypeRule,
    process_sort_key,
)

__all__ = ["Actor"]  # the plan's services take a user or a system principal


def require_plan_editor(actor: Actor, plan: Plan) -> None:
    actors.require(actor, "plan.edit", lambda user: selectors.can_edit_plan(user, plan),
                   _("Only the authority's archivists and administrators may change its "
                     "document management plan."))


def require_municipality_editor(actor: Actor, municipality_id) -> None:
    actors.require(actor, "plan.edit",
                   lambda user: selectors.can_edit_municipality(user, municipality_id),
                   _("Only archivists and administrators may do this."))


def locked_draft(version: PlanVersion) -> PlanVersion:
    """The version, locked for the rest of the transaction; refuses an adopted one."""
    version = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
    if version.is_adopted:
        raise ValidationError(_("The plan version is adopted and can no longer change; make a "
                                "new draft version."))
    return version


def rule_snapshot(rule: RuleData) -> dict:
    return {**rule.model_values(), "process_code": rule.process_code,
            "record_type_id": rule.record_type_id}


def clean_rule(rule: RuleData) -> RuleData:
    for name, value in vars(rule).items():
        if isinstance(value, str):
            setattr(rule, name, value.strip())
    return rule


def write_content(version: PlanVersion, processes: list[ProcessData],
                  rules: list[RuleData]) -> None:
    """Replace a draft's processes and rules. Record types without an id get a new identity
    (owned by the version's plan); ids not yet known are created with that id."""
    RecordTypeRule.objects.filter(version=version).delete()
    Process.objects.filter(version=version).delete()
    created = Process.objects.bulk_create([
        Process(version=version, code=p.code, name=p.name.strip(), is_local=p.is_local,
                sort_key=process_sort_key(p.code))
        for p in processes
    ])
    by_code = {p.code: p for p in created}
    wanted = {r.record_type_id for r in rules if r.record_type_id is not None}
    known = set(RecordType.objects.filter(id__in=wanted).values_list("id", flat=True))
    new_types = [RecordType(id=i, plan_id=version.plan_id) for i in wanted - known]
    rows = []
    for rule in rules:
        clean_rule(rule)
        if rule.record_type_id is None:
            new_types.append(RecordType(plan_id=version.plan_id))
            rule.record_type_id = new_types[-1].id
        rows.append(RecordTypeRule(version=version, process=by_code[rule.process_code],
                                   record_type_id=rule.record_type_id, **rule.model_values()))
    RecordType.objects.bulk_create(new_types)
    RecordTypeRule.objects.bulk_create(rows)
