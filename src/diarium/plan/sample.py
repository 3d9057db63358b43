"""The sample plan that ships with the demo: a KLASSA-style classification in seven areas
with about two hundred record types (data/sample_plan.csv, in the import format), the joint
guardianship board's local additions (its own area 8), the systems register and two
checklist templates. The demo's case templates (registry/demo_data.py) use its processes
and record types.

The decisions and disposal decision references belong to the fictional municipality."""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from diarium.organisation.models import Authority, Municipality
from diarium.plan import selectors, services
from diarium.plan.models import ChecklistTemplate, ITSystem, Plan, PlanVersion
from diarium.plan.services import Actor, ItemData, SystemData

DATA = Path(__file__).resolve().parent / "data"
BASE_FILE = DATA / "sample_plan.csv"
SYSTEMS_FILE = DATA / "sample_systems.json"
LOCAL_FILES = {"ÖFN": DATA / "sample_plan_ofn.csv"}
# In force for some years, so that the demo (registry/demo.py) has cases and documents
# registered under it long enough ago for ageing reports and disposal to have content.
BASE_DECISION = (dt.date(2021, 11, 16), "KS 2021-11-16 § 201")
VALID_FROM = dt.date(2022, 1, 1)


@dataclass
class SampleResult:
    base_version: PlanVersion
    authority_versions: int
    record_types: int
    systems: int
    templates: int


def load_sample_plan(actor: Actor, municipality: Municipality) -> SampleResult | None:
    """Load the sample plan for the municipality and adopt it for each of its authorities.
    Does nothing (returns None) when the municipality already has a base plan."""
    if selectors.base_plan(municipality.pk) is not None:
        return None
    with transaction.atomic():
        plan = services.create_plan(actor, municipality,
                                    name=f"Informationshanteringsplan för {municipality.name}")
        imported = services.import_plan(actor, plan, BASE_FILE.read_bytes(), "csv")
        decided_on, reference = BASE_DECISION
        base = services.adopt_version(actor, imported.version, decision_date=decided_on,
                                      decision_reference=reference, valid_from=VALID_FROM)
        authorities = list(Authority.objects.filter(municipality=municipality).order_by("code"))
        for i, authority in enumerate(authorities):
            _adopt_for(actor, authority, base, i)
        templates = _templates(actor, municipality)
        systems = _systems(actor, municipality, base, templates) if authorities else 0
    return SampleResult(base, len(authorities), imported.record_types, systems, len(templates))


def _adopt_for(actor: Actor, authority: Authority, base: PlanVersion, i: int) -> None:
    plan = services.create_plan(actor, authority.municipality, authority,
                                name=f"Informationshanteringsplan för {authority.name}")
    local = LOCAL_FILES.get(authority.code)
    if local is not None:
        draft = services.import_plan(actor, plan, local.read_bytes(), "csv", base=base).version
    else:
        draft = services.create_draft(actor, plan, base=base)
    decided_on = dt.date(2021, 12, 1) + dt.timedelta(days=i)
    services.adopt_version(
        actor, draft, decision_date=decided_on, valid_from=VALID_FROM,
        decision_reference=f"{authority.code} {decided_on.isoformat()} § {112 + 3 * i}",
    )


def _templates(actor: Actor, municipality: Municipality) -> dict[str, ChecklistTemplate]:
    spec = json.loads(SYSTEMS_FILE.read_text(encoding="utf-8"))
    return {
        t["name"]: services.create_template(
            actor, municipality, t["kind"], t["name"],
            [ItemData(text, guidance) for text, guidance in t["items"]],
        )
        for t in spec["templates"]
    }


def _systems(actor: Actor, municipality: Municipality, base: PlanVersion,
             templates: dict[str, ChecklistTemplate]) -> int:
    spec = json.loads(SYSTEMS_FILE.read_text(encoding="utf-8"))
    types = {(r.process.code, r.name): r.record_type_id for r in selectors.rules(base)}
    authorities = {a.code: a for a in Authority.objects.filter(municipality=municipality)}
    fallback = authorities.get("KS") or next(iter(authorities.values()))
    for entry in spec["systems"]:
        system = services.create_system(actor, municipality, SystemData(
            name=entry["name"], owner=authorities.get(entry["owner"], fallback),
            description=entry["description"], administrator_name=entry["administrator_name"],
            archive_delivery=entry["archive_delivery"], delivery_method=entry["delivery_method"],
            extraction_spec=entry["extraction_spec"], status=entry["status"],
            record_type_ids=[types[tuple(key)] for key in entry["record_types"]],
        ))
        if checklist := entry.get("checklist"):
            _checklist(actor, system, templates[checklist["template"]], checklist["done"])
    return len(spec["systems"])


def _checklist(actor: Actor, system: ITSystem, template: ChecklistTemplate, done: int) -> None:
    checklist = services.start_checklist(actor, system, template)
    for item in checklist.items.order_by("position")[:done]:
        services.tick_item(actor, item)


def sample_plan_loaded(municipality: Municipality) -> bool:
    return Plan.objects.filter(municipality=municipality, authority__isnull=True).exists()
