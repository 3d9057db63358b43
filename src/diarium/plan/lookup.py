""""Vad gör jag med …?": which record types of the plan in force fit a kind of document, and
what the plan says about each in plain sentences.

The search stems the query and the rules' texts with the same Swedish Snowball stemmer as
the case search, and matches a query word inside a compound ("frånvaro" finds
"Sjukfrånvaroanmälningar") and a compound query word by its parts ("bygglovsansökan"
finds "Ansökan om bygglov"). Everyday words are read through a small synonym list kept
with the plan data (data/synonyms.csv: "mejl" finds "E-post"). A plan holds a few hundred
record types at most, so the ranking is done in Python over the rules in force."""

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diarium.plan import selectors
from diarium.plan.content import RuleData
from diarium.plan.models import RecordTypeRule, Registration
from diarium.plan.retention import Disposition, PeriodUnit, Trigger
from diarium.search.backends import index_body

# Words that say nothing about a kind of document ("vad gör jag med ett protokoll?").
STOP_WORDS = frozenset(index_body(
    "vad gör jag med en ett och i av om för till på som den det de hur var när ska"
).split())
# How much a query word found in each text counts.
WEIGHTS = (("name", 3.0), ("process", 1.5), ("description", 1.0), ("parents", 0.5))
MIN_INFIX = 4  # a query word shorter than this must start a word, not sit inside one
MIN_PART = 3  # the shortest part a compound query word is split into
SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.csv"
# "e-post", "e-faktura": one word, so that "post" alone does not match every e-mail rule.
LETTER_PREFIX = re.compile(r"\b(\w)-(\w)")

Rule = RecordTypeRule | RuleData  # the sentences read only the rule's fields


# --- the answer in words ---------------------------------------------------------------


def period_text(amount: int | None, unit: str) -> str:
    if not amount:
        return ""
    if unit == PeriodUnit.YEARS:
        return ngettext("%(n)s year", "%(n)s years", amount) % {"n": amount}
    if unit == PeriodUnit.MONTHS:
        return ngettext("%(n)s month", "%(n)s months", amount) % {"n": amount}
    return ngettext("%(n)s day", "%(n)s days", amount) % {"n": amount}


def registration_text(rule: Rule) -> str:
    place = rule.registration_place
    if rule.registration == Registration.REGISTERED:
        return _("Registered in %(place)s.") % {"place": place} if place else _("Registered.")
    if rule.registration == Registration.KEPT_IN_ORDER:
        return _("Not registered but kept in order in %(place)s.") % {"place": place}
    if place:
        return _("Not registered; kept in %(place)s.") % {"place": place}
    return _("Not registered.")


def _disposal_text(rule: Rule) -> str:
    period = period_text(rule.period_amount, rule.period_unit)
    year_end = rule.count_from_year_end
    if rule.trigger == Trigger.CASE_CLOSED:
        text = (_("Disposed of %(period)s after the end of the year in which the case was "
                  "closed") if year_end else
                _("Disposed of %(period)s after the case is closed"))
    elif rule.trigger == Trigger.DOCUMENT_DATE:
        text = (_("Disposed of %(period)s after the end of the year of the document's date")
                if year_end else _("Disposed of %(period)s after the document's date"))
    elif period:
        text = _("Disposed of %(period)s after it is no longer current")
    else:
        return _("Disposed of when no longer current")
    return text % {"period": period}


def disposition_text(rule: Rule) -> str:
    """"Gallras 2 år efter ärendets avslut" or "Bevaras"."""
    if rule.disposition == Disposition.KEEP:
        return _("Kept permanently")
    return _disposal_text(rule)


def retention_text(rule: Rule) -> str:
    """"Gallras 2 år efter ärendets avslut (Gallringsbeslut KS 2024:1)." or "Bevaras."."""
    text = disposition_text(rule)
    basis = rule.legal_basis.strip()
    return f"{text} ({basis})." if basis else f"{text}."


def secrecy_text(rule: Rule) -> str:
    if not rule.secrecy_provision:
        return ""
    return _("Usually secret (%(provision)s).") % {"provision": rule.secrecy_provision}


def answer(rule: Rule) -> str:
    """What to do with a document of the record type, in one or a few sentences."""
    parts = [registration_text(rule), secrecy_text(rule), retention_text(rule)]
    return " ".join(p for p in parts if p)


# --- the search ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    rule: RecordTypeRule
    matched: int  # how many of the query's words the rule matched
    score: float

    @property
    def answer(self) -> str:
        return answer(self.rule)


def words(text: str) -> list[str]:
    """The indexed words of a text, with one-letter prefixes joined ("e-post": "epost")."""
    return index_body(LETTER_PREFIX.sub(r"\1\2", text)).split()


@functools.cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """Everyday word → the words the plans use for it (data/synonyms.csv, "ord;betyder")."""
    table: dict[str, tuple[str, ...]] = {}
    with SYNONYMS_FILE.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream, delimiter=";"):
            for word in words(row["ord"]):
                table[word] = table.get(word, ()) + tuple(words(row["betyder"]))
    return table


def query_terms(query: str) -> list[str]:
    stems = [s for s in words(query) if s]
    meaningful = [s for s in stems if s not in STOP_WORDS]
    return list(dict.fromkeys(meaningful or stems))


def _fit(term: str, stems: list[str]) -> float:
    best = 0.0
    for stem in stems:
        if stem == term:
            return 1.0
        if stem.startswith(term):
            best = max(best, 0.8)
        elif len(term) >= MIN_INFIX and term in stem:
            best = max(best, 0.6)
    return best


def _part_fits(part: str, stems: list[str]) -> bool:
    """A part of a compound query word fits a word that it starts, or that is its stem
    ("ansökan" fits "ansök")."""
    return any(stem.startswith(part) or (len(stem) >= MIN_INFIX and part.startswith(stem))
               for stem in stems)


def _splits(term: str) -> Iterator[tuple[str, str]]:
    """Every way to cut a word in two parts of at least MIN_PART letters, with and without
    the linking s of Swedish compounds ("bygglov|s|ansökan")."""
    for cut in range(MIN_PART, len(term) - MIN_PART + 1):
        head, tail = term[:cut], term[cut:]
        yield head, tail
        if tail.startswith("s") and len(tail) > MIN_PART:
            yield head, tail[1:]


def _part_score(part: str, texts: dict[str, list[str]]) -> float:
    return max((weight for field, weight in WEIGHTS if _part_fits(part, texts[field])),
               default=0.0)


def _compound_score(term: str, texts: dict[str, list[str]]) -> float:
    """The best cut of a compound word whose both parts fit, weighted by where they fit
    (both in the name counts most), a little below a word found as written."""
    best = 0.0
    for head, tail in _splits(term):
        head_score, tail_score = _part_score(head, texts), _part_score(tail, texts)
        if head_score and tail_score:
            best = max(best, 0.8 * (head_score + tail_score) / 2)
    return best


def _term_score(term: str, texts: dict[str, list[str]]) -> float:
    """How well one query word fits a rule: as written, else through a synonym, else by
    the parts of a compound."""
    best = max(weight * _fit(term, texts[field]) for field, weight in WEIGHTS)
    if not best:
        best = 0.9 * max((weight * _fit(synonym, texts[field])
                          for synonym in synonyms().get(term, ())
                          for field, weight in WEIGHTS), default=0.0)
    return best or _compound_score(term, texts)


def _texts(rule: RecordTypeRule, names: dict[str, str]) -> dict[str, list[str]]:
    code = rule.process.code
    parents = [names.get(code.rsplit(".", n)[0], "") for n in (1, 2) if code.count(".") >= n]
    return {
        "name": words(rule.name),
        "process": words(rule.process.name),
        "description": words(rule.description),
        "parents": words(" ".join(parents)),
    }


def _hit(rule: RecordTypeRule, terms: list[str], names: dict[str, str], query: str) -> Hit:
    texts = _texts(rule, names)
    matched, score = 0, 0.0
    for term in terms:
        best = _term_score(term, texts)
        matched += best > 0
        score += best
    name, wanted = rule.name.casefold(), query.strip().casefold()
    if name == wanted:
        score += 5
    elif name.startswith(wanted):
        score += 2
    return Hit(rule, matched, score)


def search_rules(rules: list[RecordTypeRule], query: str, limit: int = 10) -> list[Hit]:
    """The rules that fit the query best: those matching every word first (by score), else
    those matching most of them. `rules` need their process loaded."""
    terms = query_terms(query)
    if not terms or not rules:
        return []
    version = rules[0].version
    names = dict(selectors.processes(version).values_list("code", "name"))
    hits = [h for h in (_hit(r, terms, names, query) for r in rules) if h.matched]
    hits.sort(key=lambda h: (-h.matched, -h.score, h.rule.name.casefold()))
    return hits[:limit]


def what_to_do(authority_id, query: str, on_date: dt.date, limit: int = 10) -> list[Hit]:
    """Answers from the authority's plan in force on the date."""
    rules = list(selectors.rules_in_force(authority_id, on_date).select_related("version"))
    return search_rules(rules, query, limit)
