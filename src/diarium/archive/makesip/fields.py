"""The fields of a make-sip metadata file and their checks (docs/make-sip.md)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from diarium.archive.sip.paths import path_problem, portable_name
from diarium.archive.validation.vocabularies import CONTENT_CATEGORIES, media_type_problem
from diarium.registry.identity import (
    InvalidIdentity,
    normalise_organisationsnummer,
    normalise_personnummer,
)

from .reading import Issue, MetadataSource

PACKAGE_FIELDS = {  # field -> required
    "id": False, "title": True, "archive_creator": True, "archive_creator_id": False,
    "submitting_organisation": False, "submitting_organisation_id": False,
    "producer_system": True, "submission_agreement": False, "reference_code": False,
    "start_date": False, "end_date": False, "content_category": False,
    "contact_person": False,
}
FILE_FIELDS = {
    "path": True, "title": True, "description": False, "date": False, "record_type": False,
    "secrecy": False, "person_name": False, "person_id": False, "protected_identity": False,
    "mimetype": False,
}
_YES = {"yes", "ja", "true", "1", "y", "j"}
_NO = {"no", "nej", "false", "0", "n", ""}
_PROVISION = re.compile(r"\d")
MAX_TEXT = 2000
# Characters XML 1.0 cannot hold (control characters other than tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF): a value with one could not be written into the ERMS document.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class PackageMeta:
    id: str
    title: str
    archive_creator: str
    archive_creator_id: str
    submitting_organisation: str
    submitting_organisation_id: str
    producer_system: str
    submission_agreement: str
    reference_code: str
    start_date: dt.date | None
    end_date: dt.date | None
    content_category: str
    contact_person: str


@dataclass(frozen=True)
class FileMeta:
    row: int
    path: str
    title: str
    description: str = ""
    date: dt.date | None = None
    record_type: str = ""
    secrecy: str = ""
    person_name: str = ""
    person_id: str = ""  # YYYYMMDDNNNN
    protected_identity: bool = False
    mimetype: str = ""


def _date(value: str, row: int | None, column: str, issues: list[Issue]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad()
    except ValueError:
        issues.append(Issue(row, column, _('"%(v)s" is not a date of the form YYYY-MM-DD.')
                            % {"v": value}))
        return None


def _bad():
    raise ValueError


def _organisation(value: str, row, column: str, issues: list[Issue]) -> str:
    if not value:
        return ""
    try:
        return normalise_organisationsnummer(value)
    except InvalidIdentity as exc:
        issues.append(Issue(row, column, str(exc)))
        return ""


def _unknown(values: dict[str, str], known: dict, row, issues: list[Issue]) -> None:
    for name in values:
        if name not in known:
            issues.append(Issue(row, name, _("Unknown field; the fields are: %(f)s.")
                                % {"f": ", ".join(known)}))


def _required(values: dict[str, str], known: dict, row, issues: list[Issue]) -> None:
    for name, required in known.items():
        value = values.get(name, "")
        if not value:
            if required:
                issues.append(Issue(row, name, _("The field is required.")))
        elif len(value) > MAX_TEXT:
            issues.append(Issue(row, name, _("The value is longer than %(n)s characters.")
                                % {"n": MAX_TEXT}))
        elif _NOT_XML.search(value):
            issues.append(Issue(row, name, _(
                "The value contains control characters, which cannot be stored in XML.")))


def package_meta(source: MetadataSource) -> tuple[PackageMeta, list[Issue]]:
    values, issues = source.package, []

    def row(name: str) -> int | None:
        return source.package_rows.get(name)

    for name in values:
        if name not in PACKAGE_FIELDS:
            issues.append(Issue(row(name), name, _("Unknown package field; the fields are: "
                                                   "%(f)s.") % {"f": ", ".join(PACKAGE_FIELDS)}))
    for name, required in PACKAGE_FIELDS.items():
        if required and not values.get(name):
            issues.append(Issue(row(name), name, _("The package field is required.")))
        elif _NOT_XML.search(values.get(name, "")):
            issues.append(Issue(row(name), name, _(
                "The value contains control characters, which cannot be stored in XML.")))
    start = _date(values.get("start_date", ""), row("start_date"), "start_date", issues)
    end = _date(values.get("end_date", ""), row("end_date"), "end_date", issues)
    if start and end and end < start:
        issues.append(Issue(row("end_date"), "end_date", _("The end date is before the start.")))
    category = values.get("content_category") or "Mixed"
    if category.casefold() not in {c.casefold() for c in CONTENT_CATEGORIES}:
        issues.append(Issue(row("content_category"), "content_category", _(
            "Not a CSIP content category (e.g. Mixed, Datasets, Text).")))
    ident = values.get("id") or f"sip-{source.digest[:20]}"
    if portable_name(ident) != ident or "/" in ident or len(ident) > 100:
        issues.append(Issue(row("id"), "id", _("The id must be usable as a folder name.")))
    creator = values.get("archive_creator", "")
    meta = PackageMeta(
        id=ident, title=values.get("title", ""), archive_creator=creator,
        archive_creator_id=_organisation(values.get("archive_creator_id", ""),
                                         row("archive_creator_id"), "archive_creator_id", issues),
        submitting_organisation=values.get("submitting_organisation") or creator,
        submitting_organisation_id=_organisation(
            values.get("submitting_organisation_id", ""), row("submitting_organisation_id"),
            "submitting_organisation_id", issues),
        producer_system=values.get("producer_system", ""),
        submission_agreement=values.get("submission_agreement", ""),
        reference_code=values.get("reference_code", ""), start_date=start, end_date=end,
        content_category=category, contact_person=values.get("contact_person", ""))
    return meta, issues


def file_meta(row: int, values: dict[str, str], package: PackageMeta,
              issues: list[Issue]) -> FileMeta | None:
    before = len(issues)
    _unknown(values, FILE_FIELDS, row, issues)
    _required(values, FILE_FIELDS, row, issues)
    path = unicodedata.normalize("NFC", values.get("path", ""))
    if path and (problem := path_problem(path)):
        issues.append(Issue(row, "path", problem))
    when = _date(values.get("date", ""), row, "date", issues)
    if when and package.start_date and package.end_date and not (
            package.start_date <= when <= package.end_date):
        issues.append(Issue(row, "date", _("The date is outside the package's period "
                                           "%(s)s – %(e)s.") % {"s": package.start_date,
                                                                 "e": package.end_date}))
    secrecy = values.get("secrecy", "")
    if secrecy and not _PROVISION.search(secrecy):
        issues.append(Issue(row, "secrecy", _(
            'Give the provision of the Public Access and Secrecy Act, e.g. "OSL 39:3".')))
    person_id = values.get("person_id", "")
    if person_id:
        try:
            person_id = normalise_personnummer(person_id).replace("-", "")
        except InvalidIdentity as exc:
            issues.append(Issue(row, "person_id", str(exc)))
        if not values.get("person_name"):
            issues.append(Issue(row, "person_name", _("A person_id needs a person_name.")))
    flag = values.get("protected_identity", "").lower()
    if flag not in _YES | _NO:
        issues.append(Issue(row, "protected_identity", _("Use yes or no.")))
    mimetype = values.get("mimetype", "")
    if mimetype and media_type_problem(mimetype):
        issues.append(Issue(row, "mimetype", _("Not a registered media type.")))
    if len(issues) > before:
        return None
    return FileMeta(row=row, path=path, title=values["title"],
                    description=values.get("description", ""), date=when,
                    record_type=values.get("record_type", ""), secrecy=secrecy,
                    person_name=values.get("person_name", ""), person_id=person_id,
                    protected_identity=flag in _YES, mimetype=mimetype)
