"""What the document management plan says when a document is registered: which record
types may be chosen, which rule applies, the defaults it fills in (secrecy) and the
warnings it gives (the record type is kept in order elsewhere, is not registered, belongs
to another diary series or IT system, or is meant for documents of the other direction).

Reads only; the registry's services call these and write."""

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from diarium.plan import selectors as plan
from diarium.plan.models import (
    PROCESS_LEVELS,
    ITSystem,
    RecordDirection,
    RecordType,
    RecordTypeRule,
    Registration,
)
from diarium.registry.models import DiarySeries, Direction

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PlanWarning:
    """A reason to think twice before registering: `code` is one of kept_in_order,
    not_registered, wrong_series, other_system, direction."""

    code: str
    message: str


def _as_uuid(value: object) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def resolve_rule(authority_id, value: object, on: dt.date) -> RecordTypeRule | None:
    """The rule in the authority's plan in force on the date for a record type given as a
    RecordType, its id, or its name (case-insensitive); None when no record type is given.
    Raises ValidationError (key `record_type`) when the plan has no such record type."""
    if value is None or value == "":
        return None
    if isinstance(value, RecordType):
        value = value.pk
    if isinstance(value, str):
        value = value.strip()
    type_id = _as_uuid(value)
    if type_id is not None:
        rule = plan.rule_for(authority_id, type_id, on)
    else:
        rule = _rule_named(authority_id, str(value), on)
    if rule is None:
        raise ValidationError({"record_type": _(
            "The authority's document management plan in force has no record type "
            "“%(value)s”."
        ) % {"value": value}})
    return rule


def _rule_named(authority_id, name: str, on: dt.date) -> RecordTypeRule | None:
    # Names only (a plan has hundreds of rules); casefold in Python, as the database's
    # case-insensitive comparison may not fold å, ä, ö.
    wanted = name.casefold()
    found = [pk for pk, rule_name in plan.rules_in_force(authority_id, on).values_list(
        "pk", "name") if rule_name.casefold() == wanted]
    if len(found) > 1:
        raise ValidationError({"record_type": _(
            "Several record types are named “%(value)s”; give the record type's id."
        ) % {"value": name}})
    return plan.get_rule(found[0]) if found else None


def rule_choices(authority_ids, on: dt.date) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a form: the record types in force for the authorities, grouped by
    process ("1.2.1 Bereda ärenden"), each (record type id, name). A record type shared by
    several authorities (from the base plan) appears once."""
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set = set()
    for authority_id in sorted(authority_ids, key=str):
        for rule in plan.rules_in_force(authority_id, on):
            if rule.record_type_id in seen:
                continue
            seen.add(rule.record_type_id)
            label = f"{rule.process.code} {rule.process.name}"
            groups.setdefault((rule.process.sort_key, label), []).append(
                (str(rule.record_type_id), rule.name)
            )
    return [(label, items) for (_key, label), items in sorted(groups.items())]


def rule_secrecy(rule: RecordTypeRule | None) -> str:
    """The provision the plan marks the record type with by default ("" for none)."""
    return rule.secrecy_provision if rule is not None else ""


@dataclass
class Places:
    """Diary series codes and IT system names, to tell where a rule's `var` points to.
    Read once per request or registration (both tables are small)."""

    series_codes: set[str] = field(default_factory=set)
    systems: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> "Places":
        return cls(
            set(DiarySeries.objects.values_list("code", flat=True)),
            {name.casefold() for name in ITSystem.objects.values_list("name", flat=True)},
        )


def warnings_for(rule: RecordTypeRule | None, series: DiarySeries,
                 places: Places | None = None, direction: str | None = None
                 ) -> list[PlanWarning]:
    """Why registering a document of this record type in a case of this series (and, when
    given, of this direction) may be wrong. Registering is still allowed: the officer
    decides (see docs/plan.md)."""
    if rule is None:
        return []
    found = _place_warnings(rule, series, places)
    mismatch = direction_warning(rule, direction) if direction else None
    return [*found, mismatch] if mismatch else found


# Received from outside against made by the authority: a record type meant for one side
# registered on the other is worth a question. Outgoing and drawn up are the same side
# (a decision is drawn up and then sent), and "any" fits every document.
_SIDE = {
    Direction.INCOMING: "received", Direction.OUTGOING: "own", Direction.INTERNAL: "own",
}
_MEANT_FOR = {
    RecordDirection.INCOMING: _lazy("incoming documents"),
    RecordDirection.OUTGOING: _lazy("outgoing documents"),
    RecordDirection.INTERNAL: _lazy("documents drawn up by the authority"),
}
_REGISTERED_AS = {
    Direction.INCOMING: _lazy("incoming"),
    Direction.OUTGOING: _lazy("outgoing"),
    Direction.INTERNAL: _lazy("drawn up"),
}


def direction_mismatch(rule: RecordTypeRule | None, direction: str) -> bool:
    """Whether the rule's record type is meant for the other side than a document of
    this direction: incoming against outgoing or drawn up."""
    if rule is None or rule.direction == RecordDirection.ANY:
        return False
    meant, given = _SIDE.get(rule.direction), _SIDE.get(direction)
    return meant is not None and given is not None and meant != given


def direction_warning(rule: RecordTypeRule | None, direction: str) -> PlanWarning | None:
    if not direction_mismatch(rule, direction):
        return None
    return PlanWarning("direction", _(
        "The plan says “%(name)s” is a record type for %(meant)s, but this document is "
        "registered as %(given)s. Check the record type and the direction."
    ) % {"name": rule.name, "meant": _MEANT_FOR[rule.direction],
         "given": _REGISTERED_AS[direction]})


def _place_warnings(rule: RecordTypeRule, series: DiarySeries,
                    places: Places | None) -> list[PlanWarning]:
    name, place = rule.name, rule.registration_place.strip()
    if rule.registration == Registration.KEPT_IN_ORDER:
        message = (_("The plan says “%(name)s” is kept in order (hålls ordnad) in %(place)s, "
                     "not registered in the diary.") if place else
                   _("The plan says “%(name)s” is kept in order (hålls ordnad), not "
                     "registered in the diary."))
        return [PlanWarning("kept_in_order", message % {"name": name, "place": place})]
    if rule.registration == Registration.NOT_REGISTERED:
        message = _("The plan says “%(name)s” is not registered (registreras ej).")
        return [PlanWarning("not_registered", message % {"name": name})]
    if not place:
        return []
    places = places or Places.load()
    named = {w for w in WORD.findall(place)} & places.series_codes
    if named and series.code not in named:
        return [PlanWarning("wrong_series", _(
            "The plan says “%(name)s” is registered in %(place)s, but the case is in diary "
            "series %(series)s."
        ) % {"name": name, "place": place, "series": series.code})]
    if not named and place.casefold() in places.systems:
        return [PlanWarning("other_system", _(
            "The plan says “%(name)s” is registered in the IT system %(place)s, not in the "
            "diary."
        ) % {"name": name, "place": place})]
    return []


def check_classification(authority_id, code: str, on: dt.date) -> str | None:
    """An error message when the code is not a process (level 3) of the authority's plan
    in force on the date; None when it is, when it is empty, or when the authority has no
    plan in force (then any code is taken as given: cases from before the plan)."""
    code = code.strip()
    if not code or plan.version_in_force(authority_id, on) is None:
        return None
    process = plan.process_in_force(authority_id, code, on)
    if process is None or process.level != PROCESS_LEVELS:
        return _("The authority's document management plan in force has no process "
                 "“%(code)s” (a case is classified by a process, e.g. 1.2.1).") % {"code": code}
    return None
