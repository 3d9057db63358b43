"""The Swedish words a plan is written in, and how they map to stored values.

Used by import, export and forms, so a value written by one is read back by the other."""

import re

from django.utils.translation import gettext as _

from diarium.plan.retention import Disposition, PeriodUnit, Trigger

MAX_PERIOD_YEARS = 150  # longer than this is not a retention period: choose "bevaras"
OBSOLETE_PERIOD = "vid inaktualitet"


class VocabularyError(ValueError):
    """A value that is not one of the words a column accepts; the message says which are."""


def _key(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


REGISTRATION_WORDS = {
    "registreras": "registered",
    "hålls ordnad": "kept_in_order",
    "registreras ej": "not_registered",
}
REGISTRATION_ALIASES = {"halls ordnad": "kept_in_order", "registreras inte": "not_registered",
                        "ej registreras": "not_registered"}
DISPOSITION_WORDS = {"bevaras": Disposition.KEEP, "gallras": Disposition.DISPOSE}
TRIGGER_WORDS = {
    "ärendets avslut": Trigger.CASE_CLOSED,
    "handlingens datum": Trigger.DOCUMENT_DATE,
    "inaktualitet": Trigger.OBSOLETE,
}
TRIGGER_ALIASES = {"arendets avslut": Trigger.CASE_CLOSED, "vid inaktualitet": Trigger.OBSOLETE,
                   "handlingens upprättande": Trigger.DOCUMENT_DATE}
# A record type's direction; an empty cell (or "alla") is any direction.
DIRECTION_WORDS = {
    "alla": "any",
    "inkommande": "incoming",
    "utgående": "outgoing",
    "upprättad": "internal",
}
DIRECTION_ALIASES = {"inkommen": "incoming", "utgaende": "outgoing", "utgående handling":
                     "outgoing", "inkommande handling": "incoming", "upprättade": "internal",
                     "intern": "internal", "upprättad handling": "internal"}
YES_WORDS = {"ja", "yes", "true"}
NO_WORDS = {"nej", "no", "false"}

UNIT_WORDS = {
    PeriodUnit.YEARS: ("år", "år"),
    PeriodUnit.MONTHS: ("månad", "månader"),
    PeriodUnit.DAYS: ("dag", "dagar"),
}
_UNIT_ALIASES = {
    "år": PeriodUnit.YEARS, "ar": PeriodUnit.YEARS, "year": PeriodUnit.YEARS,
    "years": PeriodUnit.YEARS, "månad": PeriodUnit.MONTHS, "månader": PeriodUnit.MONTHS,
    "manad": PeriodUnit.MONTHS, "manader": PeriodUnit.MONTHS, "mån": PeriodUnit.MONTHS,
    "month": PeriodUnit.MONTHS, "months": PeriodUnit.MONTHS, "dag": PeriodUnit.DAYS,
    "dagar": PeriodUnit.DAYS, "day": PeriodUnit.DAYS, "days": PeriodUnit.DAYS,
}
_PERIOD = re.compile(r"^([+-]?\d+)\s*([^\d\s]+)$")


def _choice(value: str, words: dict, aliases: dict, what: str) -> str:
    key = _key(value)
    found = words.get(key) or aliases.get(key)
    if found is None:
        allowed = ", ".join(f'"{w}"' for w in words)
        raise VocabularyError(
            _('"%(value)s" is not a valid %(what)s; use one of %(allowed)s.')
            % {"value": value, "what": what, "allowed": allowed}
        )
    return str(found)


def parse_registration(value: str) -> str:
    return _choice(value, REGISTRATION_WORDS, REGISTRATION_ALIASES, _("registration rule"))


def parse_disposition(value: str) -> str:
    return _choice(value, DISPOSITION_WORDS, {}, _("keep or dispose value"))


def parse_trigger(value: str) -> str:
    return _choice(value, TRIGGER_WORDS, TRIGGER_ALIASES, _("trigger"))


def parse_yes_no(value: object) -> bool:
    """ja/nej (yes/no, true/false); empty means no."""
    if isinstance(value, bool):
        return value
    key = _key(str(value))
    if key in YES_WORDS:
        return True
    if key in NO_WORDS or key == "":
        return False
    raise VocabularyError(_('"%(value)s" is not a yes/no value; use "ja" or "nej".')
                          % {"value": value})


def parse_period(value: str) -> tuple[int, str] | None:
    """"2 år" -> (2, "years"); "vid inaktualitet" -> None. Raises VocabularyError."""
    key = _key(value)
    if key == OBSOLETE_PERIOD:
        return None
    match = _PERIOD.match(key)
    unit = _UNIT_ALIASES.get(match.group(2)) if match else None
    if not match or unit is None:
        raise VocabularyError(
            _('"%(value)s" is not a retention period; write e.g. "2 år", "6 månader", '
              '"30 dagar" or "vid inaktualitet".') % {"value": value}
        )
    amount = int(match.group(1))
    if amount <= 0:
        raise VocabularyError(
            _('"%(value)s": a retention period must be longer than zero.') % {"value": value}
        )
    limit = {PeriodUnit.YEARS: 1, PeriodUnit.MONTHS: 12, PeriodUnit.DAYS: 366}[unit]
    if amount > MAX_PERIOD_YEARS * limit:
        raise VocabularyError(
            _('"%(value)s" is longer than %(max)s years: a record kept that long is kept '
              '(bevaras).') % {"value": value, "max": MAX_PERIOD_YEARS}
        )
    return amount, str(unit)


def format_period(amount: int | None, unit: str) -> str:
    if not amount:
        return ""
    singular, plural = UNIT_WORDS[PeriodUnit(unit)]
    return f"{amount} {singular if amount == 1 else plural}"


def format_registration(value: str) -> str:
    return next(word for word, code in REGISTRATION_WORDS.items() if code == value)


def format_disposition(value: str) -> str:
    return next(word for word, code in DISPOSITION_WORDS.items() if code == value)


def format_trigger(value: str) -> str:
    if not value:
        return ""
    return next(word for word, code in TRIGGER_WORDS.items() if code == value)


def parse_direction(value: str) -> str:
    if not _key(value):
        return "any"
    return _choice(value, DIRECTION_WORDS, DIRECTION_ALIASES, _("direction"))


def format_direction(value: str) -> str:
    """Any direction is an empty cell, as in a plan written before the column existed."""
    if not value or value == "any":
        return ""
    return next(word for word, code in DIRECTION_WORDS.items() if code == value)


def format_yes_no(value: bool) -> str:
    return "ja" if value else "nej"
