"""Plans and their versions: drafts, edits, adoption. Every write is audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority, Municipality
from diarium.plan import selectors
from diarium.plan.content import (
    ProcessData,
    RuleData,
    content_problems,
    parent_code,
    placement_error,
    process_field_errors,
    rule_errors,
)
from diarium.plan.models import (
    Plan,
    PlanVersion,
    Process,
    RecordType,
    RecordTypeRule,
    VersionStatus,
)
from diarium.plan.services._common import (
    Actor,
    clean_rule,
    locked_draft,
    require_plan_editor,
    rule_snapshot,
    write_content,
)


def _record(actor: Actor, action: str, version: PlanVersion, **extra) -> None:
    audit.record(actor=actor, action=action, obj=version, chain=version.plan.chain, **extra)


@atomic_with_retry
def create_plan(actor: Actor, municipality: Municipality, authority: Authority | None = None,
                name: str = "") -> Plan:
    """The municipality's base plan (authority None) or an authority's plan."""
    if authority is not None and authority.municipality_id != municipality.pk:
        raise ValidationError({"authority": _("The authority belongs to another municipality.")})
    plan = Plan(municipality=municipality, authority=authority, name=name.strip() or (
        _("Document management plan, %(name)s") % {"name": authority or municipality}))
    require_plan_editor(actor, plan)
    if Plan.objects.filter(municipality=municipality, authority=authority).exists():
        raise ValidationError(_("The plan already exists."))
    plan.save()
    audit.record(actor=actor, action="plan.created", obj=plan, chain=plan.chain,
                 after={"name": plan.name, "authority": plan.authority_id})
    return plan


def default_base(plan: Plan) -> PlanVersion:
    base_plan = selectors.base_plan(plan.municipality_id)
    base = selectors.latest_adopted(base_plan) if base_plan else None
    if base is None:
        raise ValidationError(_("The municipality's base plan has no adopted version yet."))
    return base


def _compose(base: PlanVersion, local_from: PlanVersion | None) -> tuple[list, list]:
    """A base version's content plus the local additions of an earlier version."""
    processes, rules = selectors.version_content(base)
    for item in [*processes, *rules]:
        item.is_local = False
    if local_from is not None:
        local_processes, local_rules = selectors.version_content(local_from)
        processes += [p for p in local_processes if p.is_local]
        rules += [r for r in local_rules if r.is_local]
    if problems := content_problems(processes, rules):
        raise ValidationError(problems)
    return processes, rules


def check_base(plan: Plan, base: PlanVersion) -> None:
    if base.plan.authority_id is not None or base.plan.municipality_id != plan.municipality_id \
            or not base.is_adopted:
        raise ValidationError({"base": _("Choose an adopted version of the municipality's base "
                                         "plan.")})


@atomic_with_retry
def create_draft(actor: Actor, plan: Plan, *, base: PlanVersion | None = None,
                 note: str = "") -> PlanVersion:
    """A new draft version holding a copy of the latest adopted version. An authority's
    draft builds on `base` (default: the latest adopted base version)."""
    require_plan_editor(actor, plan)
    Plan.objects.select_for_update().get(pk=plan.pk)
    if selectors.draft_of(plan) is not None:
        raise ValidationError(_("The plan already has a draft version."))
    previous = selectors.latest_adopted(plan)
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if plan.is_base:
        base = None
        content = selectors.version_content(previous) if previous else ([], [])
    else:
        base = base or default_base(plan)
        check_base(plan, base)
        content = _compose(base, previous)
    draft = PlanVersion.objects.create(plan=plan, number=number, base=base, note=note.strip(),
                                       created_by=actors.user_of(actor))
    write_content(draft, *content)
    _record(actor, "plan.draft_created", draft, after={
        "number": number, "copied_from": previous.pk if previous else None,
        "base": base.pk if base else None})
    return draft


@atomic_with_retry
def rebase_draft(actor: Actor, draft: PlanVersion, base: PlanVersion) -> PlanVersion:
    """Make an authority's draft build on another base version, keeping its additions."""
    draft = locked_draft(draft)
    require_plan_editor(actor, draft.plan)
    if draft.plan.is_base:
        raise ValidationError(_("The base plan builds on no other plan."))
    check_base(draft.plan, base)
    content = _compose(base, draft)
    before = draft.base_id
    draft.base = base
    draft.save(update_fields=["base"])
    write_content(draft, *content)
    _record(actor, "plan.draft_rebased", draft, before={"base": before}, after={"base": base.pk})
    return draft


def _require_local(draft: PlanVersion, is_local: bool) -> None:
    if not draft.plan.is_base and not is_local:
        raise ValidationError(_("This comes from the base plan; change it there (an "
                                "authority's plan may only add to it)."))


@atomic_with_retry
def save_process(actor: Actor, draft: PlanVersion, code: str, name: str) -> Process:
    """Add a process to a draft, or rename the one with that code."""
    draft = locked_draft(draft)
    require_plan_editor(actor, draft.plan)
    code, name = code.strip(), name.strip()
    process = draft.processes.filter(code=code).first()
    if process is not None:
        _require_local(draft, process.is_local)
    elif (parent := parent_code(code)) and not draft.processes.filter(code=parent).exists():
        raise ValidationError({"code": _("Process %(code)s has no parent %(parent)s.")
                               % {"code": code, "parent": parent}})
    if errors := process_field_errors(ProcessData(code, name)):
        raise ValidationError(errors)
    before = {"name": process.name} if process else None
    process = process or Process(version=draft, code=code, is_local=not draft.plan.is_base)
    process.name = name
    process.save()
    _record(actor, "plan.process_saved", draft, before=before,
            after={"code": code, "name": name})
    return process


@atomic_with_retry
def delete_process(actor: Actor, process: Process) -> None:
    draft = locked_draft(process.version)
    require_plan_editor(actor, draft.plan)
    _require_local(draft, process.is_local)
    if process.rules.exists() or draft.processes.filter(code__startswith=f"{process.code}.") \
            .exists():
        raise ValidationError(_("The process still has record types or sub-processes."))
    process.version = draft
    process.delete()
    _record(actor, "plan.process_deleted", draft, before={"code": process.code,
                                                          "name": process.name})


@atomic_with_retry
def save_rule(actor: Actor, draft: PlanVersion, data: RuleData,
              rule: RecordTypeRule | None = None) -> RecordTypeRule:
    """Add a record type to a draft, or change one of its rules."""
    draft = locked_draft(draft)
    require_plan_editor(actor, draft.plan)
    data = clean_rule(data)
    if rule is not None:
        rule = draft.rules.select_related("process").get(pk=rule.pk)
        _require_local(draft, rule.is_local)
    errors = rule_errors(data)
    known = set(draft.processes.values_list("code", flat=True))
    if message := placement_error(data.process_code, known):
        errors["process_code"] = message
    clash = draft.rules.filter(process__code=data.process_code, name__iexact=data.name)
    if clash.exclude(pk=rule.pk if rule else None).exists():
        errors["name"] = _("The process already has a record type with that name.")
    if errors:
        raise ValidationError(errors)
    before = rule_snapshot(RuleData.from_rule(rule)) if rule else {}
    if rule is None:
        record_type = RecordType.objects.create(plan=draft.plan)
        rule = RecordTypeRule(version=draft, record_type=record_type)
    data.is_local = not draft.plan.is_base
    for name, value in data.model_values().items():
        setattr(rule, name, value)
    rule.process = draft.processes.get(code=data.process_code)
    rule.save()
    changed_before, changed_after = audit.diff(before, rule_snapshot(RuleData.from_rule(rule)))
    _record(actor, "plan.rule_saved", draft, before=changed_before or None,
            after={"rule": rule.pk, "name": rule.name, **changed_after})
    return rule


@atomic_with_retry
def delete_rule(actor: Actor, rule: RecordTypeRule) -> None:
    draft = locked_draft(rule.version)
    require_plan_editor(actor, draft.plan)
    rule = draft.rules.select_related("process").get(pk=rule.pk)
    _require_local(draft, rule.is_local)
    snapshot = rule_snapshot(RuleData.from_rule(rule))
    rule.delete()
    _record(actor, "plan.rule_deleted", draft, before=snapshot)


@atomic_with_retry
def adopt_version(actor: Actor, draft: PlanVersion, *, decision_date: dt.date,
                  decision_reference: str, valid_from: dt.date | None = None) -> PlanVersion:
    """Record the board's decision. The version is frozen from now on."""
    draft = locked_draft(draft)
    require_plan_editor(actor, draft.plan)
    errors: dict[str, str] = {}
    if not decision_reference.strip():
        errors["decision_reference"] = _('Give the decision, e.g. "KS 2026-03-14 § 45".')
    valid_from = valid_from or decision_date
    previous = selectors.latest_adopted(draft.plan)
    if previous and previous.valid_from and valid_from < previous.valid_from:
        errors["valid_from"] = _("Version %(n)s is valid from %(date)s; a later version cannot "
                                 "apply from an earlier date.") % {
            "n": previous.number, "date": previous.valid_from}
    processes, rules = selectors.version_content(draft)
    if not rules:
        errors["rules"] = _("The plan version has no record types.")
    if errors:
        raise ValidationError(errors)
    if problems := content_problems(processes, rules):
        raise ValidationError(problems)
    draft.status = VersionStatus.ADOPTED
    draft.decision_date, draft.decision_reference = decision_date, decision_reference.strip()
    draft.valid_from, draft.adopted_at = valid_from, timezone.now()
    draft.adopted_by = actors.user_of(actor)
    draft.save()
    _record(actor, "plan.adopted", draft, after={
        "number": draft.number, "decision_date": decision_date,
        "decision_reference": draft.decision_reference, "valid_from": valid_from,
        "rules": len(rules)})
    return draft


@atomic_with_retry
def discard_draft(actor: Actor, draft: PlanVersion) -> None:
    draft = locked_draft(draft)
    require_plan_editor(actor, draft.plan)
    _record(actor, "plan.draft_discarded", draft, before={"number": draft.number})
    draft.delete()
