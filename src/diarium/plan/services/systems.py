"""The systems register and its checklists. Every write is audited in the owner
authority's chain (templates in the municipality's plan chain)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority, Municipality, User
from diarium.plan import selectors
from diarium.plan.models import (
    ArchiveDelivery,
    Checklist,
    ChecklistItem,
    ChecklistKind,
    ChecklistTemplate,
    ChecklistTemplateItem,
    ITSystem,
    RecordType,
    SystemStatus,
)
from diarium.plan.services._common import Actor, require_municipality_editor


@dataclass
class SystemData:
    name: str
    owner: Authority
    description: str = ""
    administrator: User | None = None
    administrator_name: str = ""
    archive_delivery: str = ArchiveDelivery.UNDECIDED
    delivery_method: str = ""
    extraction_spec: str = ""
    status: str = SystemStatus.IN_USE
    remarks: str = ""
    record_type_ids: list = field(default_factory=list)


def _chain(system: ITSystem) -> str:
    return f"authority:{system.owner_id}"


def _require_system_editor(actor: Actor, system: ITSystem) -> None:
    actors.require(actor, "plan.edit", lambda user: selectors.can_edit_system(user, system),
                   _("Only the owner authority's archivists and administrators may change "
                     "the system's entry."))


def system_snapshot(system: ITSystem) -> dict:
    return {
        "name": system.name, "owner": system.owner_id, "description": system.description,
        "administrator": system.administrator_id, "administrator_name": system.administrator_name,
        "archive_delivery": system.archive_delivery, "delivery_method": system.delivery_method,
        "extraction_spec": system.extraction_spec, "status": system.status,
        "remarks": system.remarks,
        "record_types": sorted(str(i) for i in system.record_types.values_list("id", flat=True)),
    }


def _apply(system: ITSystem, data: SystemData) -> None:
    errors = {}
    if not data.name.strip():
        errors["name"] = _("A system needs a name.")
    elif ITSystem.objects.filter(municipality_id=system.municipality_id,
                                 name__iexact=data.name.strip()).exclude(pk=system.pk).exists():
        errors["name"] = _("The register already holds a system of that name.")
    if data.owner.municipality_id != system.municipality_id:
        errors["owner"] = _("The owner must be an authority of the municipality.")
    if data.status not in SystemStatus.values:
        errors["status"] = _("Unknown status.")
    if data.archive_delivery not in ArchiveDelivery.values:
        errors["archive_delivery"] = _("Unknown kind of delivery.")
    foreign = RecordType.objects.filter(id__in=data.record_type_ids).exclude(
        plan__municipality_id=system.municipality_id)
    if foreign.exists() or len(set(data.record_type_ids)) != RecordType.objects.filter(
            id__in=data.record_type_ids).count():
        errors["record_types"] = _("Choose record types of the municipality's plans.")
    if errors:
        raise ValidationError(errors)
    for name in ("name", "description", "administrator_name", "delivery_method",
                 "extraction_spec", "remarks"):
        setattr(system, name, getattr(data, name).strip())
    system.owner, system.administrator = data.owner, data.administrator
    system.archive_delivery, system.status = data.archive_delivery, data.status


@atomic_with_retry
def create_system(actor: Actor, municipality: Municipality, data: SystemData) -> ITSystem:
    system = ITSystem(municipality=municipality, owner=data.owner)
    _require_system_editor(actor, system)
    _apply(system, data)
    system.save()
    system.record_types.set(data.record_type_ids)
    audit.record(actor=actor, action="system.created", obj=system, chain=_chain(system),
                 after=system_snapshot(system))
    return system


@atomic_with_retry
def update_system(actor: Actor, system: ITSystem, data: SystemData) -> ITSystem:
    """Change an entry; giving it another owner needs the right to edit for both."""
    system = ITSystem.objects.select_for_update().get(pk=system.pk)
    _require_system_editor(actor, system)
    _require_system_editor(actor, ITSystem(municipality=system.municipality, owner=data.owner))
    before = system_snapshot(system)
    _apply(system, data)
    system.save()
    system.record_types.set(data.record_type_ids)
    changed_before, changed_after = audit.diff(before, system_snapshot(system))
    audit.record(actor=actor, action="system.updated", obj=system, chain=_chain(system),
                 before=changed_before, after=changed_after)
    return system


# --- checklists ----------------------------------------------------------------------


@dataclass
class ItemData:
    text: str
    guidance: str = ""


def _items(items: Iterable[ItemData | str]) -> list[ItemData]:
    result = [i if isinstance(i, ItemData) else ItemData(i) for i in items]
    if not result or any(not i.text.strip() for i in result):
        raise ValidationError({"items": _("A checklist needs items, each with a text.")})
    return result


def _template_chain(template: ChecklistTemplate) -> str:
    return f"plan:{template.municipality_id}"


@atomic_with_retry
def create_template(actor: Actor, municipality: Municipality, kind: str, name: str,
                    items: Iterable[ItemData | str]) -> ChecklistTemplate:
    require_municipality_editor(actor, municipality.pk)
    if kind not in ChecklistKind.values or not name.strip():
        raise ValidationError({"kind": _("Give the checklist's kind and name.")})
    if ChecklistTemplate.objects.filter(municipality=municipality, name=name.strip()).exists():
        raise ValidationError({"name": _("A checklist template of that name exists.")})
    template = ChecklistTemplate.objects.create(municipality=municipality, kind=kind,
                                                name=name.strip())
    return _set_items(actor, template, _items(items), "checklist_template.created")


@atomic_with_retry
def set_template_items(actor: Actor, template: ChecklistTemplate,
                       items: Iterable[ItemData | str]) -> ChecklistTemplate:
    """Replace a template's items. Checklists already started keep their own copies."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    require_municipality_editor(actor, template.municipality_id)
    return _set_items(actor, template, _items(items), "checklist_template.items_set")


def _set_items(actor: Actor, template: ChecklistTemplate, items: list[ItemData],
               action: str) -> ChecklistTemplate:
    before = list(template.items.values_list("text", flat=True))
    template.items.all().delete()
    ChecklistTemplateItem.objects.bulk_create([
        ChecklistTemplateItem(template=template, position=n, text=i.text.strip(),
                              guidance=i.guidance.strip())
        for n, i in enumerate(items, start=1)
    ])
    audit.record(actor=actor, action=action, obj=template, chain=_template_chain(template),
                 before={"items": before} if before else None,
                 after={"kind": template.kind, "name": template.name,
                        "items": [i.text.strip() for i in items]})
    return template


@atomic_with_retry
def start_checklist(actor: Actor, system: ITSystem, template: ChecklistTemplate) -> Checklist:
    """A checklist for the system with a copy of the template's items."""
    _require_system_editor(actor, system)
    if template.municipality_id != system.municipality_id or not template.active:
        raise ValidationError({"template": _("Choose an active template of the municipality.")})
    checklist = Checklist.objects.create(system=system, template=template, kind=template.kind,
                                         name=template.name,
                                         created_by=actors.user_of(actor))
    ChecklistItem.objects.bulk_create([
        ChecklistItem(checklist=checklist, position=i.position, text=i.text, guidance=i.guidance)
        for i in template.items.order_by("position")
    ])
    audit.record(actor=actor, action="checklist.started", obj=checklist, chain=_chain(system),
                 after={"system": system.pk, "template": template.pk, "name": checklist.name})
    return checklist


@atomic_with_retry
def tick_item(actor: Actor, item: ChecklistItem, done: bool = True,
              note: str = "") -> ChecklistItem:
    """Mark an item done (or not done again), remembering who and when."""
    item = ChecklistItem.objects.select_for_update().select_related(
        "checklist__system").get(pk=item.pk)
    system = item.checklist.system
    actors.require(actor, "plan.edit", lambda user: (
        selectors.can_edit_system(user, system) or user.pk == system.administrator_id),
        _("Only the system's administrator and the owner authority's archivists and "
          "administrators may tick its checklists."))
    before = {"done": item.done, "note": item.note}
    item.done, item.note = done, note.strip() or item.note
    item.done_at, item.done_by = (timezone.now(), actors.user_of(actor)) if done else (None, None)
    item.save()
    audit.record(actor=actor, action="checklist.item_ticked" if done else "checklist.item_unticked",
                 obj=item.checklist, chain=_chain(system), before=before,
                 after={"item": item.position, "text": item.text, "done": done,
                        "note": item.note})
    return item
