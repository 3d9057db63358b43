"""Reading values from an export's text: dates and moments (naive ones are Stockholm time),
codes (English codes, the Swedish words, and the mapping file's own), diary numbers, and
what a secrecy marking withholds. Each reader raises ValueError with a message for the
report."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Series, year and running number: `KS 2026/42`, `KS-2026-0042`, `P 2019-0254`,
# `BUN-A 2019/3`. A mapping file may give its own pattern with the same three groups.
DIARY_NUMBER = re.compile(
    r"^\s*(?P<series>[0-9A-Za-zÅÄÖåäö][0-9A-Za-zÅÄÖåäö-]*?)[\s-]+(?P<year>\d{4})\s*[/\-.:]\s*"
    r"(?P<number>\d+)\s*$")

# Codes as they are stored, and the words other systems (and Swedish users) write for them.
# Keys are casefolded; a mapping file adds its own words.
CODES: dict[str, dict[str, str]] = {
    "status": {
        **dict.fromkeys(["open", "öppet", "öppen", "pågående", "under handläggning",
                         "aktivt", "aktiv"], "open"),
        **dict.fromkeys(["dormant", "vilande"], "dormant"),
        **dict.fromkeys(["closed", "avslutat", "avslutad", "ad acta", "arkiverat",
                         "arkiverad"], "closed"),
        **dict.fromkeys(["voided", "makulerat", "makulerad"], "voided"),
    },
    "document_status": {
        **dict.fromkeys(["registered", "registrerad", "registrerat", "fastställd",
                         "fastställt", "expedierad", "expedierat"], "registered"),
        **dict.fromkeys(["voided", "makulerad", "makulerat"], "voided"),
    },
    "direction": {
        **dict.fromkeys(["incoming", "inkommande", "inkommen", "inkommet", "in", "i"],
                        "incoming"),
        **dict.fromkeys(["outgoing", "utgående", "utgående handling", "ut", "u"],
                        "outgoing"),
        **dict.fromkeys(["internal", "upprättad", "upprättat", "intern", "internt",
                         "upprättad handling"], "internal"),
    },
    "kind": {
        **dict.fromkeys(["person", "privatperson", "fysisk person", "p"], "person"),
        **dict.fromkeys(["organisation", "organization", "företag", "myndighet",
                         "juridisk person", "org", "o"], "organisation"),
    },
}
# Where a code field has a default when the cell is empty.
DEFAULTS = {"status": "", "document_status": "registered", "direction": "", "kind": ""}

TRUE = {"1", "true", "yes", "ja", "j", "x", "sant"}
FALSE = {"", "0", "false", "no", "nej", "n", "falskt"}
# What a marking withholds from the public, in English and Swedish.
WITHHELD = {"title": 0, "titel": 0, "ärendemening": 0, "parties": 1, "parter": 1, "part": 1,
            "files": 2, "filer": 2, "fil": 2}


def code(field: str, text: str, extra: dict[str, str]) -> str:
    """The stored code for a field's value. extra: the mapping file's words for it."""
    word = " ".join(text.split()).casefold()
    if not word:
        return DEFAULTS.get(field, "")
    found = extra.get(word) or CODES.get(field, {}).get(word)
    if found is None:
        raise ValueError(_("“%(value)s” is no value this column knows; give it in the "
                           "mapping file.") % {"value": text.strip()})
    return found


def date(text: str, formats: tuple[str, ...] = ()) -> dt.date | None:
    """A date (the date part of a moment too); None for an empty cell."""
    moment = _parse(text, formats)
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(STOCKHOLM)
        return moment.date()
    return moment


def moment(text: str, formats: tuple[str, ...] = ()) -> dt.datetime | None:
    """An aware moment: a date alone is midnight in Stockholm, and so is a moment without
    a time zone (what an export from a Swedish system means)."""
    value = _parse(text, formats)
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value if value.tzinfo is not None else value.replace(tzinfo=STOCKHOLM)


def _parse(text: str, formats: tuple[str, ...]) -> dt.date | dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        pass
    raise ValueError(_("“%(value)s” is not a date (write 2019-03-31, or 2019-03-31 14:05, "
                       "or name the format in the mapping file).") % {"value": text})


def diary_number(text: str, pattern: re.Pattern) -> tuple[str, int, int]:
    """(series, year, running number) of a diary number as the former diarium wrote it."""
    match = pattern.match(text)
    if match is None:
        raise ValueError(_("“%(value)s” is not a diary number of the form series, year and "
                           "number (KS 2019/42); give its pattern in the mapping file.") % {
            "value": text.strip()})
    return match.group("series").strip(), int(match.group("year")), int(match.group("number"))


def boolean(text: str) -> bool:
    word = text.strip().casefold()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise ValueError(_("“%(value)s” is neither yes nor no.") % {"value": text.strip()})


def withheld(text: str) -> tuple[bool, bool, bool] | None:
    """What a marking withholds, from "title, parties, files" (or titel, parter, filer);
    None for an empty cell."""
    words = [w for w in re.split(r"[\s,;|]+", text.strip().casefold()) if w]
    if not words:
        return None
    flags = [False, False, False]
    for word in words:
        if word in ("all", "allt", "alla"):
            return True, True, True
        if word in ("none", "inget", "inga", "-"):
            continue
        if word not in WITHHELD:
            raise ValueError(_("“%(value)s”: write what is withheld as title, parties, "
                               "files.") % {"value": text.strip()})
        flags[WITHHELD[word]] = True
    return flags[0], flags[1], flags[2]


def integer(text: str) -> int:
    text = text.strip()
    if ":" in text:  # a document's full number, `KS 2019/4:3`
        text = text.rsplit(":", 1)[1].strip()
    if not text.isdigit():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text})
    return int(text)
