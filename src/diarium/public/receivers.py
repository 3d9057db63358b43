"""How the projection learns of changes: the registry's `registrations_changed` signal
(sent inside the registry's writing transaction, so the projection commits with the
change), and the plan's `record_types_changed` (a record type made publishable or not).
The list of registers follows the plan's systems register and adopted rules after
commit."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save


def _registrations(sender, case_ids, new=False, cases=None, **kwargs) -> None:
    from diarium.public import projector

    if new:  # opened in this transaction: the objects as saved are handed over
        projector.project_new_cases(cases)
    else:
        projector.refresh_cases(case_ids)


def _opening(sender, authority_ids, **kwargs) -> None:
    from diarium.public import projector

    projector.prepare_new_cases(authority_ids)


def _record_types(sender, record_type_ids, **kwargs) -> None:
    from diarium.public import projector

    projector.refresh_record_types(record_type_ids)


def _registers(sender, **kwargs) -> None:
    from diarium.public import registers

    transaction.on_commit(registers.refresh)


def connect() -> None:
    from diarium.plan.models import ITSystem, PlanVersion
    from diarium.plan.signals import record_types_changed
    from diarium.registry.signals import cases_opening, registrations_changed

    registrations_changed.connect(_registrations, dispatch_uid="public-projection")
    cases_opening.connect(_opening, dispatch_uid="public-opening")
    record_types_changed.connect(_record_types, dispatch_uid="public-record-types")
    post_save.connect(_registers, sender=ITSystem, dispatch_uid="public-registers-system")
    post_save.connect(_registers, sender=PlanVersion, dispatch_uid="public-registers-plan")
    m2m_changed.connect(_registers, sender=ITSystem.record_types.through,
                        dispatch_uid="public-registers-types")
