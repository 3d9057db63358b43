"""Factories for plan tests: small plans built through the services."""

import datetime as dt

from diarium.core.actors import OPERATOR
from diarium.organisation.models import Authority, User
from diarium.plan import services
from diarium.plan.content import RuleData
from diarium.plan.io.columns import HEADERS
from diarium.plan.models import Plan, PlanVersion
from tests import factories as f

PROCESSES = [("1", "Ledning och styrning"), ("1.2", "Nämndadministration"),
             ("1.2.1", "Bereda ärenden"), ("1.2.2", "Genomföra sammanträden")]


def archivist(authority: Authority, **extra) -> User:
    return f.user(roles={authority: "archivist"}, **extra)


def rule(name: str = "Tjänsteutlåtande", process_code: str = "1.2.1", **kwargs) -> RuleData:
    values = {"registration": "registered", "registration_place": "Nämndens diarium",
              "disposition": "keep", **kwargs}
    return RuleData(process_code=process_code, name=name, **values)


def disposed(name: str, amount: int = 2, unit: str = "years", trigger: str = "case_closed",
             **kwargs) -> RuleData:
    return rule(name, disposition="dispose", period_amount=amount, period_unit=unit,
                trigger=trigger, **kwargs)


def base_plan(authority: Authority) -> Plan:
    return services.create_plan(OPERATOR, authority.municipality)


def draft_with(plan: Plan, rules: list[RuleData], actor=OPERATOR, processes=PROCESSES,
               **kwargs) -> PlanVersion:
    draft = services.create_draft(actor, plan, **kwargs)
    existing = set(draft.processes.values_list("code", flat=True))
    for code, name in processes:
        if code not in existing:
            services.save_process(actor, draft, code, name)
    for data in rules:
        services.save_rule(actor, draft, data)
    return draft


def adopt(version: PlanVersion, on: dt.date = dt.date(2025, 1, 1), actor=OPERATOR,
          reference: str = "") -> PlanVersion:
    code = version.plan.authority.code if version.plan.authority_id else "KS"
    return services.adopt_version(
        actor, version, decision_date=on - dt.timedelta(days=30), valid_from=on,
        decision_reference=reference or f"{code} {on - dt.timedelta(days=30)} § 12",
    )


def adopted_base(authority: Authority, rules: list[RuleData] | None = None,
                 on: dt.date = dt.date(2025, 1, 1)) -> PlanVersion:
    plan = base_plan(authority)
    return adopt(draft_with(plan, rules or [rule(), disposed("Protokollsutdrag")]), on)


def csv_bytes(rows: list[dict[str, str]], headers: list[str] = HEADERS,
              delimiter: str = ";") -> bytes:
    lines = [delimiter.join(headers)]
    lines += [delimiter.join(r.get(h, "") for h in headers) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def process_row(code: str, name: str) -> dict[str, str]:
    return {"processkod": code, "processnamn": name}


def type_row(name: str, code: str = "1.2.1", **values) -> dict[str, str]:
    row = {"processkod": code, "handlingstyp": name, "registrering": "registreras",
           "var": "Nämndens diarium", "bevaras_gallras": "bevaras", "personuppgifter": "nej"}
    return {**row, **values}


def plan_rows(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [process_row(c, n) for c, n in PROCESSES] + [type_row("Tjänsteutlåtande"), *extra]
