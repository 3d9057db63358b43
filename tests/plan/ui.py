"""Shared set-up of the plan's UI and API tests: Sjöviks sample plan for KS and BUN."""

import datetime as dt

from diarium.core.actors import DEMO, OPERATOR
from diarium.organisation.models import Authority
from diarium.plan import selectors, services
from diarium.plan.models import Plan, PlanVersion
from diarium.plan.sample import load_sample_plan
from tests import factories as f
from tests.plan.factories import rule

# The sample adopts the plan for the authorities in code order: BUN first, then KS.
KS_DECISION = "KS 2021-12-02 § 115"
NEW_TYPE = "Kvittens på nyckelkort"


def sample_municipality() -> tuple[Authority, Authority]:
    """KS and BUN with the sample plan adopted for both."""
    ks = f.authority("KS", name="Kommunstyrelsen")
    bun = f.authority("BUN", muni=ks.municipality, name="Barn- och utbildningsnämnden")
    load_sample_plan(DEMO, ks.municipality)
    return ks, bun


def plan_of(authority: Authority) -> Plan:
    return selectors.authority_plan(authority.pk)


def second_version(plan: Plan, on: dt.date) -> PlanVersion:
    """Version 2: one local record type more, adopted to apply from `on`."""
    draft = services.create_draft(OPERATOR, plan)
    services.save_rule(OPERATOR, draft, rule(NEW_TYPE, process_code="2.2.4",
                                         registration_place="HR-systemet"))
    return services.adopt_version(OPERATOR, draft, decision_date=on, valid_from=on,
                                  decision_reference=f"KS {on} § 7")
