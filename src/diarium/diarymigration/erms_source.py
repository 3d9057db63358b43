"""A former diarium exported as CITS ERMS (FGS Ärendehantering 2.0): E-ARK packages as
systems deliver them to the archive (a folder, ZIP or TAR with METS.xml and an ERMS
document, as Diarium's own `archive export-cases` writes them), a folder of such packages,
or a bare ERMS XML file with its files beside it.

Each `aggregation` is a case and each of its `record`s a document; the elements read are
those Diarium's export writes (docs/erms-export.md), which follow the Swedish profile, so
other systems' exports read the same way. Packages are read without trusting them
(archive/validation: no extraction, no unsafe paths or XML entities), the ERMS document
as a stream of aggregations, and every file is checked against the checksum its METS
gives before anything is brought in. Problems name the ERMS file and the line of the
element."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.utils.translation import gettext as _
from lxml import etree

from diarium.archive.erms.schema import ERMS_NS
from diarium.archive.validation.package import Package, PackageUnreadable, open_package
from diarium.archive.validation.readers import DirectoryPackage
from diarium.archive.validation.xmlsafe import parse_untrusted

from . import values
from .mapping import Mapping
from .report import Report
from .source import CASE, DOCUMENT, PARTY, Progress, SourceError
from .staging import BY_ID, Duplicate, Staged, StagedPart, Staging

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_METS = 64 << 20
MAX_ERMS = 1 << 30
PACKAGE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")

# ERMS status values -> Diarium's codes.
CASE_STATUS = {"closed": "closed", "ad_acta": "closed", "expedited": "closed",
               "obliterated": "voided", "on_hold": "dormant"}
ELEMENTS = {
    CASE: {"case_id": "aggregation/@systemIdentifier", "diary_number": "objectId",
           "series": "objectId", "year": "objectId", "number": "objectId",
           "title": "title", "status": "status/@value",
           "opened": "dates/date[@dateType='opened']",
           "closed": "dates/date[@dateType='closed']",
           "voided": "dates/date[@otherDateType='voided']",
           "void_reason": "notes/note[@noteType='void_reason']",
           "officer": "agents/agent[@agentType='responsible_person']/idNumber"},
    DOCUMENT: {"case_id": "record", "number": "runningNumber", "direction": "direction",
               "record_type": "record/@recordType", "title": "title",
               "document_date": "dates/date[@otherDateType='document_date']",
               "registered": "dates/date[@dateType='created']", "status": "status/@value",
               "void_reason": "notes/note[@noteType='void_reason']",
               "files": "additionalInformation/appendix/@path"},
    PARTY: {"name": "agent/name", "identity_number": "agent/idNumber",
            "kind": "agent/idNumber/@idNumberType", "case_id": "agent"},
}
WITHHELD = re.compile(r"Undantaget från allmänheten:([^.]*)\.")
DIARIUM_MARKING = "Sekretessmarkering (OSL 5 kap. 5 §)"
VOID_REASON = "Makulerat i det tidigare diariet (exporten anger inget skäl)."


def _e(tag: str) -> str:
    return f"{{{ERMS_NS}}}{tag}"


def _text(element: etree._Element | None, tag: str) -> str:
    found = element.find(_e(tag)) if element is not None else None
    return " ".join((found.text or "").split()) if found is not None else ""


class ErmsSource:
    def __init__(self, path: Path, mapping: Mapping) -> None:
        self.mapping = mapping
        self.name = path.name
        self.system = ""
        self.packages = self._find(path)
        if not self.packages:
            raise SourceError(_("%(path)s holds no cases file and no CITS ERMS package.") % {
                "path": path})
        self._open: tuple[int, Package] | None = None
        self._erms: dict[int, str] = {}  # package -> the ERMS document's path in it

    @staticmethod
    def _find(path: Path) -> list[Path]:
        if path.is_file():
            return [path]
        if (path / "METS.xml").is_file():
            return [path]
        found = []
        for child in sorted(path.iterdir()):
            name = child.name.casefold()
            if child.is_symlink() or name.startswith("."):
                continue
            if (child.is_dir() and (child / "METS.xml").is_file()) or (
                    child.is_file() and name.endswith((*PACKAGE_SUFFIXES, ".xml"))):
                found.append(child)
        return found

    def close(self) -> None:
        if self._open is not None:
            self._open[1].close()
            self._open = None

    def column(self, part: str, field: str) -> str:
        return ELEMENTS[part].get(field, field)

    def _package(self, index: int) -> Package:
        if self._open is not None and self._open[0] == index:
            return self._open[1]
        self.close()
        path = self.packages[index]
        if path.is_file() and path.name.casefold().endswith(".xml"):
            package: Package = DirectoryPackage(path.parent)
        else:
            package = open_package(path)
        self._open = (index, package)
        return package

    # -- pass 1 ---------------------------------------------------------------------------
    def read(self, staging: Staging, report: Report, progress: Progress) -> None:
        done = 0
        for index, path in enumerate(self.packages):
            try:
                package = self._package(index)
            except PackageUnreadable as exc:
                report.error(path.name, None, None, exc.finding.message_en)
                continue
            for found in package.findings:
                report.warning(path.name, None, found.location, found.message_en)
            erms, checksums = self._metadata(path, package, report)
            if erms is None:
                continue
            self._erms[index] = erms
            label = f"{path.name}/{erms}" if package is not None and not path.name.endswith(
                ".xml") else path.name
            for aggregation in self._aggregations(package, erms, label, report):
                self._case(aggregation, index, package, erms, checksums, label, staging,
                           report)
                done += 1
                if done % 100 == 0:
                    progress("read", done, None)
            staging.commit()
        progress("read", done, None)

    def _metadata(self, path: Path, package: Package, report: Report
                  ) -> tuple[str | None, dict[str, tuple[str, str]]]:
        """(the ERMS document's path, path -> (checksum type, checksum) from the METS)."""
        if path.is_file() and path.name.casefold().endswith(".xml"):
            return path.name, {}
        if "METS.xml" not in package.files:
            report.error(path.name, None, None, _("The package has no METS.xml."))
            return None, {}
        checksums: dict[str, tuple[str, str]] = {}
        erms = None
        for mets in ["METS.xml", *sorted(p for p in package.files
                                         if p.endswith("/METS.xml"))]:
            parsed = parse_untrusted(package.read_bytes(mets, MAX_METS), mets)
            if parsed.tree is None:
                for found in parsed.findings:
                    report.error(path.name, None, mets, found.message_en)
                continue
            folder = str(PurePosixPath(mets).parent).lstrip(".")
            for element in parsed.tree.iter(f"{{{METS_NS}}}file", f"{{{METS_NS}}}mdRef"):
                href = _href(element)
                if not href:
                    continue
                member = _join(folder, href)
                if element.get("CHECKSUM"):
                    checksums[member] = (element.get("CHECKSUMTYPE", "").upper(),
                                         element.get("CHECKSUM", "").lower())
                if (erms is None and mets == "METS.xml" and element.tag.endswith("mdRef")
                        and element.get("OTHERMDTYPE", "").upper() == "ERMS"):
                    erms = member
        if erms is None:  # METS without the ERMS reference: look for it where it lives
            erms = next((p for p in sorted(package.files) if p.startswith(
                "metadata/descriptive/") and p.casefold().endswith(".xml")), None)
        if erms is None or erms not in package.files:
            report.error(path.name, None, None, _("The package has no CITS ERMS document."))
            return None, {}
        return erms, checksums

    def _aggregations(self, package: Package, erms: str, label: str, report: Report
                      ) -> Iterator[etree._Element]:
        try:
            with package.open_limited(erms, MAX_ERMS) as stream:
                events = etree.iterparse(
                    stream, events=("start", "end"), resolve_entities=False,
                    no_network=True, huge_tree=False, load_dtd=False)
                first = True
                for event, element in events:
                    if first:
                        first = False
                        if element.tag != _e("erms"):
                            report.error(label, element.sourceline, None, _(
                                "The document is not CITS ERMS."))
                            return
                    if event != "end":
                        continue
                    if element.tag == _e("control"):
                        self._control(element)
                    elif element.tag == _e("aggregation"):
                        yield element
                        # Done with it: drop it and the ones before it (memory stays flat
                        # however many cases one ERMS document holds).
                        element.clear(keep_tail=True)
                        while element.getprevious() is not None:
                            del element.getparent()[0]
        except etree.XMLSyntaxError as exc:
            report.error(label, getattr(exc, "lineno", None), None, _(
                "The ERMS document is not well-formed XML: %(error)s") % {"error": exc})
        except PackageUnreadable as exc:
            report.error(label, None, None, exc.finding.message_en)

    def _control(self, control: etree._Element) -> None:
        if self.system:
            return
        for agent in control.iter(_e("agent")):
            if agent.get("agentType") == "deliverer" and _text(agent, "name"):
                self.system = _text(agent, "name")[:100]
                return

    def _case(self, aggregation: etree._Element, index: int, package: Package, erms: str,
              checksums: dict, label: str, staging: Staging, report: Report) -> None:
        line = aggregation.sourceline
        bad = False

        def error(field: str, message: str, row: int | None = line) -> None:
            nonlocal bad
            bad = True
            report.error(label, row, self.column(CASE, field), message)

        number_text = _text(aggregation, "objectId")
        series = year = number = None
        try:
            series, year, number = values.diary_number(number_text,
                                                       self.mapping.diary_number_pattern)
            series = self.mapping.words("series").get(series.casefold(), series)
        except ValueError as exc:
            error("diary_number", str(exc))
        when = _dates(aggregation)
        status = self._status(aggregation)
        secrecy = _restriction(aggregation)
        data = {
            "diary_number": number_text, "series": series or "", "year": year or 0,
            "number": number or 0, "title": _text(aggregation, "title"),
            "public_title": _public_title(aggregation),
            "classification_code": _classification(aggregation), "status": status,
            "opened_at": when.get("opened") or when.get("created"),
            "closed_at": when.get("closed") if status == "closed" else None,
            "closing_note": _decision(aggregation) if status == "closed" else "",
            "voided_at": (when.get("voided") or when.get("closed")) if status == "voided"
            else None,
            "void_reason": (_note(aggregation, "void_reason") or VOID_REASON)
            if status == "voided" else "",
            "follow_up_date": _day(when.get("follow_up")),
            "officer": _officer(aggregation), "secrecy": secrecy,
            "_package": index,
        }
        if data["opened_at"] is None:
            error("opened", _("The case has no date it was opened (dates/date "
                              "dateType opened or created)."))
        source_id = aggregation.get("systemIdentifier") or number_text or f"?{label}:{line}"
        key = f"{series.casefold()}|{year}|{number}" if series else ""
        parties = [self._party(agent) for agent in _agents(aggregation, "counterpart")]
        documents = []
        for position, record in enumerate(aggregation.findall(_e("record")), start=1):
            documents.append((record.sourceline, self._document(
                record, position, package, erms, checksums, label, report)))
        try:
            staging.add_case(source_id, number_text or source_id, key, label, line, data,
                             bad=bad)
        except Duplicate as exc:
            error("diary_number", _("The case comes twice: first at %(file)s line "
                                    "%(row)s.") % {"file": exc.first[0], "row": exc.first[1]})
            return
        for row, party in parties:
            staging.add_part("parties", BY_ID, source_id, label, row, party)
        for row, document in documents:
            staging.add_part("documents", BY_ID, source_id, label, row, document)

    def _status(self, element: etree._Element) -> str:
        status = element.find(_e("status"))
        value = status.get("value", "") if status is not None else ""
        extra = self.mapping.words("status")
        return extra.get(value.casefold()) or CASE_STATUS.get(value, "open")

    def _party(self, agent: etree._Element) -> tuple[int | None, dict]:
        number_element = agent.find(_e("idNumber"))
        kind, number = "person", ""
        if number_element is not None:
            number = " ".join((number_element.text or "").split())
            kind = ("organisation" if "organisation" in number_element.get(
                "idNumberType", "").casefold() else "person")
        return agent.sourceline, {
            "kind": kind, "name": _text(agent, "name"), "identity_number": number,
            "role": _text(agent, "role"), "contact": {}, "source_id": ""}

    def _document(self, record: etree._Element, position: int, package: Package, erms: str,
                  checksums: dict, label: str, report: Report) -> dict:
        line = record.sourceline
        bad = False

        def error(field: str, message: str, row: int | None = None) -> None:
            nonlocal bad
            bad = True
            report.error(label, row or line, self.column(DOCUMENT, field), message)

        number = position
        running = _text(record, "runningNumber") or _text(record, "objectId")
        if running:
            try:
                number = values.integer(running)
            except ValueError as exc:
                error("number", str(exc))
        direction_element = record.find(_e("direction"))
        definition = direction_element.get("directionDefinition", "") \
            if direction_element is not None else ""
        direction = {"incoming": "incoming", "outgoing": "outgoing"}.get(definition,
                                                                        "internal")
        when = _dates(record)
        document_date = _day(when.get("document_date") or when.get("received")
                             or when.get("expedited") or when.get("originated")
                             or when.get("created"))
        if document_date is None:
            error("document_date", _("The document has no date."))
        status = record.find(_e("status"))
        voided = status is not None and status.get("value") == "obliterated"
        record_type = record.get("recordType", "")
        record_type = self.mapping.words("record_type").get(record_type.casefold(),
                                                            record_type)
        return {
            "number": number, "direction": direction, "record_type": record_type,
            "title": _text(record, "title"), "public_title": _public_title(record),
            "document_date": document_date,
            "registered_at": when.get("created") or when.get("originated")
            or (values.moment(document_date.isoformat()) if document_date else None),
            "sender_recipient": _counterpart(record), "status": "voided" if voided
            else "registered",
            "voided_at": when.get("voided") if voided else None,
            "void_reason": (_note(record, "void_reason") or VOID_REASON) if voided else "",
            "secrecy": _restriction(record),
            "files": self._files(record, package, erms, checksums, error),
            "_bad": bad,
        }

    def _files(self, record: etree._Element, package: Package, erms: str, checksums: dict,
               error) -> list[dict]:
        found = []
        base = str(PurePosixPath(erms).parent).lstrip(".")
        for appendix in record.iter(_e("appendix")):
            raw = (appendix.get("path") or "").strip()
            if not raw:
                continue
            member = _member(package, raw, base)
            if member is None:
                error("files", _("The file %(path)s is not in the package.") % {"path": raw},
                      appendix.sourceline)
                continue
            name = appendix.get("name") or PurePosixPath(member).name
            if "." not in name and "." in PurePosixPath(member).name:
                name = PurePosixPath(member).name
            declared = appendix.get("fileFormat", "")
            mime = declared if "/" in declared else (
                mimetypes.guess_type(name)[0] or "application/octet-stream")
            checksum_type, checksum = checksums.get(member, ("", ""))
            found.append({"path": member, "name": name, "mime_type": mime,
                          "size": package.files[member].size,
                          "checksum_type": checksum_type, "checksum": checksum})
        return found

    # -- pass 2 and 3 ---------------------------------------------------------------------
    def check_files(self, case: Staged, documents: list[StagedPart], report: Report) -> None:
        requests: dict[str, set[str]] = {}
        for document in documents:
            for file in document.data["files"]:
                if file["checksum_type"]:
                    requests.setdefault(file["path"], set()).add(file["checksum_type"])
        if not requests:
            return
        try:
            scanned = self._package(case.data["_package"]).scan(requests)
        except PackageUnreadable as exc:
            report.error(case.file, case.row, None, exc.finding.message_en)
            return
        for document in documents:
            for file in document.data["files"]:
                kind = file["checksum_type"]
                if not kind:
                    continue
                digest = scanned[file["path"]].digests.get(kind)
                if digest is None:
                    report.warning(document.file, document.row, self.column(DOCUMENT, "files"),
                                   _("%(path)s: the checksum type %(kind)s cannot be "
                                     "checked.") % {"path": file["path"], "kind": kind})
                elif digest != file["checksum"]:
                    report.error(document.file, document.row, self.column(DOCUMENT, "files"),
                                 _("%(path)s does not match its checksum in the METS: the "
                                   "file is damaged.") % {"path": file["path"]})

    @contextmanager
    def open_file(self, case: Staged, file: dict) -> Iterator[BinaryIO]:
        with self._package(case.data["_package"]).open_member(file["path"]) as stream:
            yield stream


def _href(element: etree._Element) -> str:
    locator = element if element.tag.endswith("mdRef") else element.find(
        f"{{{METS_NS}}}FLocat")
    return (locator.get(f"{{{XLINK_NS}}}href", "") if locator is not None else "").strip()


def _join(folder: str, href: str) -> str:
    href = href.removeprefix("file://").removeprefix("./")
    parts = [p for p in f"{folder}/{href}".split("/") if p not in ("", ".")]
    return "/".join(parts)


def _member(package: Package, raw: str, base: str) -> str | None:
    """The package member an appendix path names: from the package root (as Diarium writes
    it), from the ERMS document's folder, or within a representation's data."""
    path = raw.replace("\\", "/").removeprefix("./").lstrip("/")
    if ".." in path.split("/"):
        return None
    candidates = [path, _join(base, path)]
    candidates += [f"{folder}/{path}" for folder in sorted(
        d for d in package.dirs if d.startswith("representations/") and d.endswith("/data"))]
    return next((c for c in candidates if c in package.files), None)


def _public_title(element: etree._Element) -> str:
    for other in element.findall(_e("otherTitle")):
        if other.get("titleType") in ("public", "publicTitle"):
            return " ".join((other.text or "").split())
    return ""


def _classification(element: etree._Element) -> str:
    found = element.find(_e("classification"))
    return found.get("classificationCode", "") if found is not None else ""


def _dates(element: etree._Element) -> dict[str, object]:
    """The element's own dates by type (`other` by its otherDateType), as moments."""
    found: dict[str, object] = {}
    wrapper = element.find(_e("dates"))
    for item in wrapper.findall(_e("date")) if wrapper is not None else []:
        kind = item.get("otherDateType") if item.get("dateType") == "other" else item.get(
            "dateType")
        try:
            when = values.moment(item.text or "")
        except ValueError:
            continue
        if kind and when is not None:
            found.setdefault(kind, when)
    return found


def _day(when) -> object:
    return values.date(when.isoformat()) if when is not None else None


def _agents(element: etree._Element, kind: str) -> list[etree._Element]:
    wrapper = element.find(_e("agents"))
    return [a for a in wrapper.findall(_e("agent")) if a.get("agentType") == kind] \
        if wrapper is not None else []


def _officer(aggregation: etree._Element) -> str:
    for agent in _agents(aggregation, "responsible_person"):
        number = agent.find(_e("idNumber"))
        if number is not None and number.get("idNumberType") == "username":
            return (number.text or "").strip()
    return ""


def _counterpart(record: etree._Element) -> str:
    for kind in ("sender", "receiver", "counterpart"):
        for agent in _agents(record, kind):
            if _text(agent, "name"):
                return _text(agent, "name")
    return ""


def _note(element: etree._Element, kind: str) -> str:
    wrapper = element.find(_e("notes"))
    for note in wrapper.findall(_e("note")) if wrapper is not None else []:
        if note.get("noteType") == kind:
            return " ".join((note.text or "").split())
    return ""


def _decision(aggregation: etree._Element) -> str:
    """The text of the case's decision (Diarium writes its closing note so)."""
    for action in aggregation.findall(_e("action")):
        if _text(action, "actionType").casefold() == "beslut":
            return _text(action, "actionText")
    return ""


def _restriction(element: etree._Element) -> list | None:
    """The element's own secrecy marking as [provision, marked on, title, parties, files].
    Diarium's export says what is withheld; a marking from elsewhere that does not say
    withholds everything (secrecy by construction)."""
    found = element.find(_e("restriction"))
    if found is None:
        return None
    explanation = _text(found, "explanatoryText")
    provision = _text(found, "regulation") or explanation[:64] or found.get(
        "restrictionType", "") or "sekretess"
    when = _dates(found).get("created")
    match = WITHHELD.search(explanation)
    if match:
        words = match.group(1).casefold()
        withheld = ["titel" in words, "parter" in words, "filer" in words]
    elif explanation.startswith(DIARIUM_MARKING):
        withheld = [False, False, False]
    else:
        withheld = [True, True, True]
    return [provision[:64], _day(when).isoformat() if when else None, *withheld]
