"""Reading a package's CITS ERMS metadata: the aggregations (cases) and records
(documents) with their titles, restrictions, dates and files.

A record's date is the document's own date (what disposal rules "after the document's
date" count from): Diarium writes it as `other`/`document_date`; other producers, and
Diarium before it followed the Swedish profile, give it as `received`, `expedited` or
`originated`. A package's dates span its aggregations' and records' dates, leaving out
dates that lie ahead of a case, such as its follow-up date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree

from diarium.archive.erms.schema import ERMS_NS
from diarium.archive.validation.xmlsafe import parse_untrusted

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
SUBMISSION = "submission/"


def _e(tag: str) -> str:
    return f"{{{ERMS_NS}}}{tag}"


@dataclass
class RecordInfo:
    kind: str  # "aggregation" or "record"
    identifier: str
    title: str = ""
    public_title: str = ""
    record_type: str = ""
    restriction: str = ""
    date: dt.date | None = None
    paths: list[str] = field(default_factory=list)  # AIP paths (submission/…)
    classification_code: str = ""
    classification_title: str = ""


@dataclass
class ErmsContent:
    records: list[RecordInfo]  # aggregations first, each followed by its records
    dates: list[dt.date]


def _text(element: etree._Element | None, tag: str) -> str:
    found = element.find(_e(tag)) if element is not None else None
    return (found.text or "").strip() if found is not None and found.text else ""


def _public_title(element: etree._Element) -> str:
    for other in element.findall(_e("otherTitle")):
        if other.get("titleType") in ("publicTitle", "public"):
            return (other.text or "").strip()
    return ""


def restriction_of(element: etree._Element) -> str:
    """The provision of the element's own restriction ("" when it has none)."""
    found = element.find(_e("restriction"))
    if found is None:
        return ""
    return _text(found, "regulation") or found.get("restrictionType") or "restricted"


def _date(text: str | None) -> dt.date | None:
    match = _DATE.match((text or "").strip())
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(0))
    except ValueError:
        return None


def _dates(element: etree._Element) -> dict[str, dt.date]:
    found: dict[str, dt.date] = {}
    wrapper = element.find(_e("dates"))
    for item in wrapper.findall(_e("date")) if wrapper is not None else []:
        when = _date(item.text)
        if when is not None:
            found.setdefault(item.get("otherDateType") or item.get("dateType") or "", when)
    return found


def _paths(element: etree._Element) -> list[str]:
    extra = element.find(_e("additionalInformation"))
    paths = []
    for appendix in extra.findall(_e("appendix")) if extra is not None else []:
        path = (appendix.get("path") or "").strip().lstrip("/")
        if path and ".." not in path.split("/"):
            paths.append(SUBMISSION + path)
    return paths


# The first of these a record has is its date (the key is otherDateType for "other").
RECORD_DATES = ("document_date", "received", "expedited", "originated", "created")
# Dates of an aggregation that lie ahead of it and so do not belong to its span.
AHEAD = ("follow_up", "decision_deadline", "expiration")


def _first(when: dict[str, dt.date], kinds: tuple[str, ...]) -> dt.date | None:
    return next((when[k] for k in kinds if k in when), None)


def _record(element: etree._Element, inherited: str) -> RecordInfo:
    when = _dates(element)
    return RecordInfo(
        kind="record", identifier=_text(element, "objectId") or element.get(
            "systemIdentifier", ""),
        title=_text(element, "title"), public_title=_public_title(element),
        record_type=element.get("recordType", ""),
        restriction=restriction_of(element) or inherited,
        date=_first(when, RECORD_DATES), paths=_paths(element))


def read_erms(data: bytes) -> ErmsContent | None:
    """The records of an ERMS document, or None when it is not one (or not safe XML)."""
    parsed = parse_untrusted(data, "erms.xml")
    if parsed.tree is None or parsed.tree.getroot().tag != _e("erms"):
        return None
    root = parsed.tree.getroot()
    records: list[RecordInfo] = []
    dates: list[dt.date] = []
    for aggregation in root.iter(_e("aggregation")):
        own = restriction_of(aggregation)
        when = _dates(aggregation)
        dates += [day for kind, day in when.items() if kind not in AHEAD]
        classification = aggregation.find(_e("classification"))
        records.append(RecordInfo(
            kind="aggregation",
            identifier=_text(aggregation, "objectId") or aggregation.get("systemIdentifier", ""),
            title=_text(aggregation, "title"), public_title=_public_title(aggregation),
            restriction=own, date=when.get("opened") or when.get("created"),
            classification_code=classification.get("classificationCode", "")
            if classification is not None else "",
            classification_title=(classification.text or "").strip()
            if classification is not None else ""))
        for element in aggregation.findall(_e("record")):
            records.append(_record(element, own))
    for container in root.findall(_e("records")):
        for element in container.findall(_e("record")):
            records.append(_record(element, ""))
    dates += [r.date for r in records if r.date is not None]
    return ErmsContent(records, dates)
