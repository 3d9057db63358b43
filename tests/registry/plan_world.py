"""A small adopted plan for registry tests: two authorities (KS, BUN), each with an
adopted plan built on the same base version, and record types covering every rule the
registry enforces."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from diarium.core.actors import OPERATOR
from diarium.organisation.models import Authority, User
from diarium.plan import services as plan_services
from diarium.plan.content import RuleData
from diarium.plan.models import Plan, PlanVersion, RecordTypeRule
from diarium.registry import services
from diarium.registry.models import DiarySeries, Document
from tests import factories as f
from tests.plan import factories as pf

VALID_FROM = dt.date(2025, 1, 1)

RULES = [
    pf.rule("Tjänsteutlåtande"),
    pf.disposed("Yttrande", 2, "years", "case_closed", count_from_year_end=True,
                legal_basis="Gallringsbeslut KS 2024:1"),
    pf.disposed("Kvitto", 1, "years", "document_date"),
    pf.rule("Kallelse", "1.2.2", registration="kept_in_order",
            registration_place="Protokollsserien"),
    pf.rule("Minnesanteckning", "1.2.2", registration="not_registered",
            registration_place="", disposition="dispose", trigger="obsolete"),
    pf.rule("Motion", registration_place="KS diarium"),
    pf.rule("Bygglovsansökan", registration_place="Bygglovssystemet"),
    pf.disposed("Orosanmälan", 5, "years", "case_closed", secrecy_provision="OSL 26:1"),
]


@dataclass
class World:
    ks: DiarySeries
    bun: DiarySeries
    base: PlanVersion
    registrator: User
    archivist: User

    def rule(self, name: str, authority: Authority | None = None) -> RecordTypeRule:
        """The rule of the authority's latest adopted version."""
        return (RecordTypeRule.objects.filter(
            version__plan__authority=authority or self.ks.authority,
            version__status="adopted", name=name,
        ).order_by("-version__number").first())


def adopt_for(authority: Authority, base: PlanVersion, on: dt.date = VALID_FROM) -> PlanVersion:
    plan = Plan.objects.filter(authority=authority).first() or plan_services.create_plan(
        OPERATOR, authority.municipality, authority
    )
    return pf.adopt(plan_services.create_draft(OPERATOR, plan, base=base), on)


def world(rules: list[RuleData] | None = None) -> World:
    ks = f.series(f.authority("KS"), "KS")
    bun = f.series(f.authority("BUN"), "BUN")
    base = pf.adopted_base(ks.authority, rules or RULES, VALID_FROM)
    for authority in (ks.authority, bun.authority):
        adopt_for(authority, base)
    registrator = f.user("reg", roles={ks.authority: "registrar"})
    archivist = f.user("ark", roles={ks.authority: "archivist"})
    return World(ks, bun, base, registrator, archivist)


def new_base_version(base: PlanVersion, name: str, **changes) -> PlanVersion:
    """Adopt a new base version, valid from today, with one rule changed."""
    draft = plan_services.create_draft(OPERATOR, base.plan)
    rule = draft.rules.select_related("process").get(name=name)
    data = RuleData.from_rule(rule)
    for key, value in changes.items():
        setattr(data, key, value)
    plan_services.save_rule(OPERATOR, draft, data, rule)
    return pf.adopt(draft, timezone.localdate())


def register(actor: User, case, record_type=None, title: str = "En handling",
             **kwargs) -> Document:
    kwargs.setdefault("direction", "incoming")
    kwargs.setdefault("document_date", timezone.localdate())
    return services.register_document(
        actor, case,
        services.DocumentData(title=title, record_type=record_type, **kwargs),
    )
