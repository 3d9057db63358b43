"""Whether a record type's documents are published (their files downloadable) in the
public diary. Audited in the plan's authority chain; the public projection follows in
the same transaction through plan/signals.py."""

from diarium.audit import services as audit
from diarium.core.transactions import atomic_with_retry
from diarium.plan.models import RecordType
from diarium.plan.services._common import Actor, require_plan_editor
from diarium.plan.signals import record_types_changed


@atomic_with_retry
def set_publishable(actor: Actor, record_type: RecordType, publishable: bool) -> RecordType:
    record_type = RecordType.objects.select_for_update().select_related("plan").get(
        pk=record_type.pk)
    require_plan_editor(actor, record_type.plan)
    if record_type.publishable == publishable:
        return record_type
    before = record_type.publishable
    record_type.publishable = publishable
    record_type.save(update_fields=["publishable"])
    audit.record(actor=actor, action="plan.record_type_publishable", obj=record_type,
                 chain=record_type.plan.chain, before={"publishable": before},
                 after={"publishable": publishable})
    record_types_changed.send(sender="plan", record_type_ids=[record_type.pk])
    return record_type
