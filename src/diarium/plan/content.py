"""A plan version's content as plain data, and the rules every plan must follow.

Import, the edit services and the draft/rebase machinery all go through these dataclasses,
so there is one set of checks, tested without a database."""

import re
import uuid
from dataclasses import dataclass, fields

from django.utils.translation import gettext as _

from diarium.documents import naming
from diarium.plan.models.plans import PROCESS_LEVELS, RecordDirection, Registration
from diarium.plan.retention import Disposition, PeriodUnit, Trigger

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PROCESS_CODE = re.compile(rf"^[1-9]\d{{0,2}}(\.[1-9]\d{{0,2}}){{0,{PROCESS_LEVELS - 1}}}$")

# Longest text per field, as in the model (TextFields get a generous cap against abuse).
MAX_LENGTHS = {
    "name": 200, "description": 4000, "registration_place": 200, "secrecy_provision": 64,
    "legal_basis": 300, "medium": 100, "file_format": 100, "storage": 200,
    "archive_delivery": 200, "remarks": 4000, "naming_rule": 200,
}


@dataclass
class ProcessData:
    code: str
    name: str
    is_local: bool = False


@dataclass
class RuleData:
    process_code: str
    name: str
    registration: str
    disposition: str
    description: str = ""
    registration_place: str = ""
    secrecy_provision: str = ""
    period_amount: int | None = None
    period_unit: str = ""
    trigger: str = ""
    count_from_year_end: bool = False
    legal_basis: str = ""
    medium: str = ""
    file_format: str = ""
    storage: str = ""
    archive_delivery: str = ""
    personal_data: bool = False
    remarks: str = ""
    naming_rule: str = ""
    direction: str = RecordDirection.ANY
    record_type_id: uuid.UUID | None = None
    is_local: bool = False

    @classmethod
    def from_rule(cls, rule) -> "RuleData":
        """From a RecordTypeRule (its process must be loaded)."""
        values = {f.name: getattr(rule, f.name) for f in fields(cls)
                  if f.name not in ("process_code",)}
        return cls(process_code=rule.process.code, **values)

    def model_values(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("process_code", "record_type_id")}


def process_code_error(code: str) -> str | None:
    if not code:
        return _("The process code is missing.")
    if PROCESS_CODE.match(code):
        return None
    return _('"%(code)s" is not a valid process code: write 1 to %(levels)s numbers separated '
             'by dots, e.g. 2.3.1.') % {"code": code, "levels": PROCESS_LEVELS}


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def rule_errors(rule: RuleData) -> dict[str, str]:
    """Field -> message for everything wrong within one rule."""
    errors: dict[str, str] = {}
    if not rule.name.strip():
        errors["name"] = _("A record type needs a name.")
    for name, limit in MAX_LENGTHS.items():
        if len(getattr(rule, name)) > limit:
            errors[name] = _("At most %(limit)s characters.") % {"limit": limit}
        elif CONTROL_CHARACTERS.search(getattr(rule, name)):
            errors[name] = _("The text contains control characters.")
    if rule.registration not in Registration.values:
        errors["registration"] = _("Unknown registration rule.")
    elif rule.registration != Registration.NOT_REGISTERED and not rule.registration_place.strip():
        errors["registration_place"] = _(
            "Say where it is registered or kept in order (a diary series, register or system)."
        )
    if rule.secrecy_provision.strip() and rule.registration != Registration.REGISTERED:
        # OSL 5:1: a document that may hold secret information must be registered.
        errors["registration"] = _(
            "A record type with default secrecy must be registered (OSL 5:1)."
        )
    if rule.direction not in RecordDirection.values:
        errors["direction"] = _("Unknown direction.")
    errors.update(_retention_errors(rule))
    if rule.naming_rule.strip() and "naming_rule" not in errors:
        try:
            naming.check_rule(rule.naming_rule, naming.FIELDS)
        except naming.RuleRefused as exc:
            errors["naming_rule"] = str(exc)
    return errors


def _retention_errors(rule: RuleData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if rule.disposition == Disposition.KEEP:
        if rule.period_amount or rule.trigger or rule.count_from_year_end:
            errors["period_amount"] = _(
                "A record type that is kept (bevaras) has no retention period or trigger."
            )
        return errors
    if rule.disposition != Disposition.DISPOSE:
        errors["disposition"] = _("Choose keep (bevaras) or dispose (gallras).")
        return errors
    if rule.trigger not in Trigger.values:
        errors["trigger"] = _("Say what the retention period is counted from.")
    if rule.period_amount is None:
        if rule.trigger != Trigger.OBSOLETE:
            errors["period_amount"] = _(
                'A record type that is disposed of needs a retention period, or '
                '"vid inaktualitet".'
            )
    elif rule.period_amount <= 0:
        errors["period_amount"] = _("A retention period must be longer than zero.")
    elif rule.period_unit not in PeriodUnit.values:
        errors["period_unit"] = _("Unknown unit of the retention period.")
    return errors


def process_field_errors(process: ProcessData) -> dict[str, str]:
    if message := process_code_error(process.code):
        return {"code": message}
    if not process.name.strip():
        return {"name": _("A process needs a name.")}
    if len(process.name) > MAX_LENGTHS["name"]:
        return {"name": _("At most %(limit)s characters.") % {"limit": MAX_LENGTHS["name"]}}
    if CONTROL_CHARACTERS.search(process.name):
        return {"name": _("The text contains control characters.")}
    return {}


def process_errors(processes: list[ProcessData]) -> list[tuple[int, str, str]]:
    """(index, field, message) for codes, names, duplicates and missing parents."""
    errors: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    for i, process in enumerate(processes):
        field_errors = process_field_errors(process)
        errors.extend((i, name, message) for name, message in field_errors.items())
        if "code" in field_errors:
            continue
        if process.code in seen:
            errors.append((i, "code", _("Process %(code)s is defined twice.")
                           % {"code": process.code}))
        seen.setdefault(process.code, i)
    for i, process in enumerate(processes):
        parent = parent_code(process.code) if process.code in seen else None
        if parent and parent not in seen:
            errors.append((i, "code", _("Process %(code)s has no parent %(parent)s.")
                           % {"code": process.code, "parent": parent}))
    return errors


def placement_error(code: str, known: set[str]) -> str | None:
    """Why a record type cannot belong to the process code, or None."""
    if message := process_code_error(code):
        return message
    if code not in known:
        return _("Unknown process code %(code)s.") % {"code": code}
    if code.count(".") + 1 != PROCESS_LEVELS:
        return _("A record type belongs to a process (a code with %(levels)s levels such as "
                 "2.3.1), not to %(code)s.") % {"levels": PROCESS_LEVELS, "code": code}
    return None


def content_problems(processes: list[ProcessData], rules: list[RuleData]) -> list[str]:
    """Everything wrong with a whole version's content, as messages (empty when sound)."""
    problems = [message for _i, _f, message in process_errors(processes)]
    known = {p.code for p in processes}
    names: set[tuple[str, str]] = set()
    ids: set[uuid.UUID] = set()
    for rule in rules:
        label = f"{rule.process_code} {rule.name}"
        if message := placement_error(rule.process_code, known):
            problems.append(f"{label}: {message}")
        problems.extend(f"{label}: {message}" for message in rule_errors(rule).values())
        key = (rule.process_code, rule.name.lower())
        if key in names:
            problems.append(_("%(name)s appears twice.") % {"name": label})
        names.add(key)
        if rule.record_type_id is not None:
            if rule.record_type_id in ids:
                problems.append(_("%(name)s: the record type appears twice.") % {"name": label})
            ids.add(rule.record_type_id)
    return problems
