"""Every write to the plan: one function per use case, transactional, audited.

Views, the API, the command line and the demo loader all call these."""

from diarium.plan.services._common import Actor
from diarium.plan.services.importing import ImportResult, import_plan
from diarium.plan.services.plans import (
    adopt_version,
    create_draft,
    create_plan,
    delete_process,
    delete_rule,
    discard_draft,
    rebase_draft,
    save_process,
    save_rule,
)
from diarium.plan.services.publishing import set_publishable
from diarium.plan.services.systems import (
    ItemData,
    SystemData,
    create_system,
    create_template,
    set_template_items,
    start_checklist,
    tick_item,
    update_system,
)

__all__ = [
    "Actor",
    "ImportResult",
    "ItemData",
    "SystemData",
    "adopt_version",
    "create_draft",
    "create_plan",
    "create_system",
    "create_template",
    "delete_process",
    "delete_rule",
    "discard_draft",
    "import_plan",
    "rebase_draft",
    "save_process",
    "save_rule",
    "set_publishable",
    "set_template_items",
    "start_checklist",
    "tick_item",
    "update_system",
]
