"""Disposal (gallring) in the export: a `disposal` element on every record, from the plan
rule the document was registered under, and one on the case that sums up its records.

The rule keeps a law: nothing is destroyed without a disposal decision (Arkivlagen), so a
document without a plan rule is written as not disposable ("ej fastställd"), never as
kept or disposed of. ERMS requires at least one disposalDate in every disposal element;
where the rule gives no date yet (the record is not yet found no longer current, or it has
no rule) the date written is the day the case ended (`other_date` "case_ended")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from lxml import etree

from diarium.plan.retention import TriggerDates, trigger_date
from diarium.registry.disposal_dates import case_ended_on
from diarium.registry.models import DisposalOutcome, Document, DocumentStatus

from . import xml
from .agents import actor
from .source import CaseSnapshot, DocumentItem
from .xml import sub

KEEP, DISPOSE, UNDETERMINED = "bevaras", "gallras", "ej fastställd"
PARTLY = "gallras delvis"
_UNITS = {"years": "år", "months": "månader", "days": "dagar"}
_TRIGGERS = {"case_closed": "efter ärendets avslut", "document_date": "efter handlingens datum",
             "obsolete": "vid inaktualitet"}


@dataclass
class Disposal:
    disposable: bool
    action: str
    start: dt.date | None = None  # retention_period_start: the day the period counts from
    due: dt.date | None = None  # disposal_date: the first day it may be disposed of
    case_ended: dt.date | None = None  # written when the rule gives no date (yet)
    disposed_at: dt.datetime | None = None
    schedule: str = ""  # the plan version the rule belongs to
    period: str = ""
    mandate: str = ""
    description: str = ""
    comments: tuple[str, ...] = ()
    disposing_person: str = ""


def _period(rule) -> str:
    trigger = _TRIGGERS.get(rule.trigger, rule.trigger)
    if not rule.period_amount:
        return trigger
    text = f"{rule.period_amount} {_UNITS.get(rule.period_unit, rule.period_unit)} {trigger}"
    return text + (", räknat från årets slut" if rule.count_from_year_end else "")


def _retention_start(doc: Document, ended: dt.date) -> dt.date | None:
    start = trigger_date(doc.rule, TriggerDates(case_closed=ended,
                                                document_date=doc.document_date,
                                                review_date=doc.no_longer_current_on))
    if start is not None and doc.rule.count_from_year_end:
        start = dt.date(start.year, 12, 31)
    return start


def _by_rule(doc: Document, ended: dt.date) -> Disposal:
    rule = doc.rule
    common = {"schedule": f"{rule.version.plan.name}, version {rule.version.number}",
              "mandate": rule.legal_basis or rule.version.decision_reference}
    if doc.disposal_outcome == DisposalOutcome.KEEP:
        return Disposal(False, KEEP, start=ended, **common)
    if doc.disposal_outcome == DisposalOutcome.DATE and doc.disposal_date is not None:
        return Disposal(True, DISPOSE, start=_retention_start(doc, ended),
                        due=doc.disposal_date, period=_period(rule), **common)
    return Disposal(True, DISPOSE, case_ended=ended, period=_period(rule),
                    description="Gallringstidpunkten är inte fastställd: "
                                f"{_period(rule)} har ännu inte inträffat.", **common)


def _disposed(disposal: Disposal, item: DocumentItem, snap: CaseSnapshot) -> None:
    """What was destroyed, under which decision, when and by whom (Arkivlagen)."""
    doc = item.document
    comment = f"Gallrad {doc.disposed_at:%Y-%m-%d}" if doc.disposed_at else "Gallrad"
    comment += f" enligt {doc.disposed_under}." if doc.disposed_under else "."
    reference = (f"Gallringsuppgift i e-arkivet: {doc.disposal_record}",
                 ) if doc.disposal_record else ()
    disposal.comments = (comment, *reference)
    disposal.disposed_at = doc.disposed_at
    events = snap.document_events(doc, "document.disposed")
    disposal.disposing_person = actor(events[-1]).name if events else ""


def _ended(snap: CaseSnapshot) -> dt.date:
    return case_ended_on(snap.case) or timezone.localdate(snap.case.opened_at)


def record_disposal(item: DocumentItem, snap: CaseSnapshot) -> Disposal:
    doc = item.document
    if doc.rule is None:
        disposal = Disposal(False, UNDETERMINED, case_ended=_ended(snap), description=(
            "Handlingen har ingen handlingstyp ur dokumenthanteringsplanen och får inte "
            "gallras utan ett gallringsbeslut."))
    else:
        disposal = _by_rule(doc, _ended(snap))
    if doc.status == DocumentStatus.DISPOSED:
        _disposed(disposal, item, snap)
    return disposal


def _distinct(values) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def _summary(parts: list[Disposal]) -> str:
    dated = sum(p.due is not None for p in parts)
    counts = [(sum(p.action == KEEP for p in parts), "bevaras"),
              (dated, "gallras"),
              (sum(p.action == DISPOSE for p in parts) - dated,
               "gallras när tidpunkten fastställts"),
              (sum(p.action == UNDETERMINED for p in parts), "saknar handlingstyp")]
    text = ", ".join(f"{n} {'handling' if n == 1 else 'handlingar'} {what}"
                     for n, what in counts if n)
    return (text + ".") if text else "Ärendet har inga handlingar."


def case_disposal(records: list[Disposal], snap: CaseSnapshot) -> Disposal:
    """The case as a whole: disposable when every record has a disposal date (the last of
    them is the case's), kept when every record is kept or there are none."""
    actions = {r.action for r in records}
    due = [r.due for r in records if r.due is not None]
    disposable = bool(records) and len(due) == len(records)
    action = (KEEP if actions <= {KEEP} else DISPOSE if actions == {DISPOSE}
              else PARTLY if actions == {KEEP, DISPOSE} else UNDETERMINED)
    return Disposal(disposable, action, start=_ended(snap),
                    due=max(due) if disposable else None,
                    schedule=_distinct(r.schedule for r in records),
                    mandate=_distinct(r.mandate for r in records),
                    description=_summary(records))


def _dates(data: Disposal) -> list[tuple[str, str, dt.date | dt.datetime]]:
    """(dateType, otherDisposalDateType, value) in a fixed order."""
    found = [("retention_period_start", "", data.start), ("disposal_date", "", data.due),
             ("other_date", "case_ended", data.case_ended),
             ("other_date", "disposed", data.disposed_at)]
    return [(kind, other, when) for kind, other, when in found if when is not None]


def write(parent: etree._Element, data: Disposal) -> None:
    element = sub(parent, "disposal", disposable="true" if data.disposable else "false")
    for tag, value in (("disposalScheduleId", data.schedule),
                       ("disposalAction", data.action), ("disposalPeriod", data.period),
                       ("disposalMandate", data.mandate),
                       ("disposalDescription", data.description)):
        if value:
            sub(element, tag, value)
    if data.comments:
        comments = sub(element, "disposalComments")
        for comment in data.comments:
            sub(comments, "disposalComment", comment)
    if data.disposing_person:
        sub(element, "disposingPerson", data.disposing_person)
    wrapper = sub(element, "dates")
    for kind, other, when in _dates(data):
        sub(wrapper, "disposalDate", xml.xs_datetime(when), dateType=kind,
            otherDisposalDateType=other)
