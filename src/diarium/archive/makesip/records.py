"""The CITS ERMS document of make-sip (one record per file), written record by record.

Records are built in batches; each batch is checked as an ERMS document of its own (the
control section and the batch's records) against ERMS.xsd and the Schematron rules, then
serialised after the previous batches. ERMS.xsd declares no identity constraints (no ID,
key or unique) and puts no bound on the number of records, and the Schematron rules look at
one element at a time, so a document is valid exactly when every batch is: the whole document
is checked without ever being in memory whole."""

from __future__ import annotations

import copy
import re
from typing import BinaryIO

from django.utils.translation import gettext as _
from lxml import etree

from diarium.archive.erms import xml
from diarium.archive.erms.schema import MAX_PROBLEMS, erms_schema, erms_schematron
from diarium.archive.erms.xml import AgentData, sub
from diarium.archive.sip.mets import PLACEHOLDER, children_bytes, split_at_placeholder

from .fields import FileMeta, PackageMeta
from .reading import Issue

DATA_PREFIX = "representations/rep1/data/"
BATCH = 500
# A record's path in a batch document (lxml and libxml2 both write "*" steps for elements in
# a default namespace): the root, its second child (records), the record.
_RECORD = re.compile(r"^/\*/\*\[2\]/\*(?:\[(\d+)\])?")


def _document(package: PackageMeta) -> tuple[etree._Element, etree._Element]:
    root = xml.new_document()
    xml.control(root, [("arkivbildare", package.archive_creator),
                       ("organisationsnummer", package.archive_creator_id.replace("-", "")),
                       ("leverans", package.title)],
                agency=package.submitting_organisation,
                organisation=package.submitting_organisation,
                producer_system=package.producer_system)
    return root, sub(root, "records")


def add_record(records: etree._Element, meta: FileMeta, number: int) -> None:
    record = sub(records, "record", systemIdentifier=f"file-{number}",
                 recordType=meta.record_type, recordPhysicalOrDigital="digitial")
    sub(record, "objectId", meta.path)
    sub(record, "title", meta.title)
    if meta.secrecy:
        xml.restriction(record, meta.secrecy, f"Sekretess enligt {meta.secrecy}.", None)
    if meta.person_name:
        xml.agents(record, [AgentData(
            "other:data_subject", meta.person_name, id_number=meta.person_id,
            id_type="personnummer" if meta.person_id else "",
            protected=meta.protected_identity)])
    if meta.description:
        sub(record, "description", meta.description)
    xml.dates(record, [("originated", meta.date)])
    xml.appendix(sub(record, "additionalInformation"), meta.path.rsplit("/", 1)[-1],
                 DATA_PREFIX + meta.path, meta.mimetype)


def erms_tree(package: PackageMeta, files: list[FileMeta]) -> etree._ElementTree:
    """The whole document as one tree (for a few files; make-sip uses RecordWriter)."""
    root, records = _document(package)
    for number, meta in enumerate(files, start=1):
        add_record(records, meta, number)
    return etree.ElementTree(root)


class RecordWriter:
    """Writes the ERMS document into `out`: `add` each file's metadata, then `finish`.
    `issues`: every broken rule, with the metadata row of its record (nothing more is
    written once there is one)."""

    def __init__(self, package: PackageMeta, out: BinaryIO, batch: int = BATCH) -> None:
        self.out = out
        self.batch = batch
        self.count = 0
        self.issues: list[Issue] = []
        root, records = _document(package)
        records.append(etree.Comment(PLACEHOLDER))
        head, self._tail = split_at_placeholder(xml.serialise(root))
        out.write(head)
        self._control = root[0]
        self._written = False
        self._new_batch()

    def _new_batch(self) -> None:
        root = xml.new_document()
        root.append(copy.deepcopy(self._control))
        self._root, self._records = root, sub(root, "records")
        self._rows: list[int] = []

    def add(self, meta: FileMeta) -> None:
        self.count += 1
        add_record(self._records, meta, self.count)
        self._rows.append(meta.row)
        if len(self._rows) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        if len(self.issues) < MAX_PROBLEMS:
            self._check()
        if not self.issues:
            self.out.write((b"\n    " if self._written else b"")
                           + children_bytes(self._records, 1))
            self._written = True
        self._new_batch()

    def _check(self) -> None:
        tree = etree.ElementTree(self._root)
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
