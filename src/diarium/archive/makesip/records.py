"""The CITS ERMS document of make-sip (one record per file), written record by record.

Each record is formatted as text (sip/fragments.py: what the ERMS builders of erms/xml.py
would write for it). Records are collected in batches; each batch is parsed as an ERMS
document of its own (the control section and the batch's records) and checked against
ERMS.xsd and the Schematron rules, then written after the previous batches: what is written
is exactly the text that was checked. ERMS.xsd declares no identity constraints (no ID, key
or unique) and puts no bound on the number of records, and the Schematron rules look at one
element at a time, so the document is valid exactly when every batch is: it is checked
whole without ever being in memory whole."""

from __future__ import annotations

import re
from typing import BinaryIO

from django.utils.translation import gettext as _
from lxml import etree

from diarium.archive.erms import xml
from diarium.archive.erms.schema import MAX_PROBLEMS, erms_schema, erms_schematron
from diarium.archive.sip.fragments import PLACEHOLDER, attribute, split_at_placeholder, text

from .fields import FileMeta, PackageMeta
from .reading import Issue

DATA_PREFIX = "representations/rep1/data/"
BATCH = 500
# A record's path in a batch document (libxml2 writes "*" steps for elements in a default
# namespace): the root, its second child (records), the record.
_RECORD = re.compile(r"^/\*/\*\[2\]/\*(?:\[(\d+)\])?")
_INDENT = "\n    "  # between records (children of <records>, a child of the root)


def _document(package: PackageMeta) -> tuple[bytes, bytes]:
    """The document before and after its records."""
    root = xml.new_document()
    xml.control(root, [("arkivbildare", package.archive_creator),
                       ("organisationsnummer", package.archive_creator_id.replace("-", "")),
                       ("leverans", package.title)],
                agency=package.submitting_organisation,
                organisation=package.submitting_organisation,
                producer_system=package.producer_system)
    xml.sub(root, "records").append(etree.Comment(PLACEHOLDER))
    return split_at_placeholder(xml.serialise(root))


def record_xml(meta: FileMeta, number: int) -> str:
    """One file's ERMS record, as the builders of erms/xml.py would write it."""
    path = text(meta.path)
    kind = f' recordType="{attribute(meta.record_type)}"' if meta.record_type else ""
    parts = [f'<record systemIdentifier="file-{number}"{kind} '
             f'recordPhysicalOrDigital="digitial">\n      <objectId>{path}</objectId>\n'
             f"      <title>{text(meta.title)}</title>"]
    if meta.secrecy:
        secrecy = text(meta.secrecy)
        parts.append('\n      <restriction restrictionType="confidential">\n        '
                     f"<explanatoryText>Sekretess enligt {secrecy}.</explanatoryText>\n"
                     f"        <regulation>{secrecy}</regulation>\n      </restriction>")
    if meta.person_name:
        parts.append('\n      <agents>\n        <agent agentType="other" '
                     f'otherAgentType="data_subject">\n          <name>{text(meta.person_name)}'
                     "</name>")
        if meta.person_id:
            parts.append('\n          <idNumber idNumberType="personnummer">'
                         f"{text(meta.person_id)}</idNumber>")
        if meta.protected_identity:
            parts.append("\n          <protectedIdentity>true</protectedIdentity>")
        parts.append("\n        </agent>\n      </agents>")
    if meta.description:
        parts.append(f"\n      <description>{text(meta.description)}</description>")
    if meta.date is not None:
        parts.append('\n      <dates>\n        <date dateType="originated">'
                     f"{meta.date.isoformat()}T00:00:00</date>\n      </dates>")
    name = attribute(meta.path.rsplit("/", 1)[-1])
    fmt = f' fileFormat="{attribute(meta.mimetype)}"' if meta.mimetype else ""
    parts.append(f'\n      <additionalInformation>\n        <appendix name="{name}" '
                 f'path="{attribute(DATA_PREFIX + meta.path)}"{fmt}/>\n'
                 "      </additionalInformation>\n    </record>")
    return "".join(parts)


def erms_tree(package: PackageMeta, files: list[FileMeta]) -> etree._ElementTree:
    """The whole document as one tree (for a few files; make-sip uses RecordWriter)."""
    head, tail = _document(package)
    records = _INDENT.join(record_xml(meta, n) for n, meta in enumerate(files, start=1))
    return etree.ElementTree(etree.fromstring(head + records.encode() + tail))


class RecordWriter:
    """Writes the ERMS document into `out`: `add` each file's metadata, then `finish`.
    `issues`: every broken rule, with the metadata row of its record (nothing more is
    written once there is one)."""

    def __init__(self, package: PackageMeta, out: BinaryIO, batch: int = BATCH) -> None:
        self.out = out
        self.batch = batch
        self.count = 0
        self.issues: list[Issue] = []
        self._head, self._tail = _document(package)
        out.write(self._head)
        self._written = False
        self._records: list[str] = []
        self._rows: list[int] = []

    def add(self, meta: FileMeta) -> None:
        self.count += 1
        self._records.append(record_xml(meta, self.count))
        self._rows.append(meta.row)
        if len(self._rows) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        records = _INDENT.join(self._records).encode()
        if len(self.issues) < MAX_PROBLEMS:
            self._check(self._head + records + self._tail)
        if not self.issues:
            self.out.write((_INDENT.encode() if self._written else b"") + records)
            self._written = True
        self._records, self._rows = [], []

    def _check(self, document: bytes) -> None:
        tree = etree.ElementTree(etree.fromstring(document))
        schema = erms_schema()
        found = [] if schema.validate(tree) else [
            ("ERMS-XSD", e.message, e.path or "") for e in schema.error_log]
        found += [(f.rule, f.message, f.path) for f in erms_schematron().validate(tree)]
        for rule, message, path in found[:MAX_PROBLEMS]:
            self.issues.append(Issue(self._row_of(path), None, _(
                "The ERMS record made from this row breaks %(rule)s: %(message)s")
                % {"rule": rule, "message": message}))

    def _row_of(self, path: str) -> int | None:
        """The metadata row of the record an XPath points into (None: the control part)."""
        found = _RECORD.search(path)
        if found is None:
            return None
        index = int(found.group(1) or 1) - 1
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def finish(self) -> None:
        """The rest of the document; nothing when there are issues."""
        self._flush()
        if not self.issues:
            self.out.write(self._tail)
