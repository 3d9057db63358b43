"""The AIP's root METS.xml (E-ARK AIP 2.2 on CSIP 2.2): it names the AIP (OBJID
urn:uuid:<id>), references the PREMIS file from amdSec/digiprovMD and the submitted SIP's
METS.xml (submission/METS.xml) from fileSec and structMap. The SIP's own METS keeps listing
every submitted file with its checksum; the PREMIS lists every file of the AIP."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from diarium.archive.validation.mets import CSIP, METS, SIP, XLINK
from diarium.archive.validation.schema import mets_schema

from .inventory import METS_PATH, PREMIS_PATH, SUBMISSION, Entry, SipHead, software_version

AIP_PROFILE = "https://earkdip.dilcis.eu/profile/E-ARK-AIP-v2-2-0.xml"  # as AIPM2 spells it
NSMAP = {None: METS, "xlink": XLINK, "csip": CSIP, "sip": SIP}


class InvalidMetadata(Exception):
    """Diarium made METS or PREMIS its schema rejects (a bug; nothing is stored)."""


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _file_attributes(entry: Entry, created: str) -> dict[str, str]:
    return {"MIMETYPE": entry.mime or "application/xml", "SIZE": str(entry.size),
            "CREATED": created, "CHECKSUM": entry.sha256, "CHECKSUMTYPE": "SHA-256"}


def _link(href: str) -> dict[str, str]:
    return {"LOCTYPE": "URL", _q(XLINK, "type"): "simple", _q(XLINK, "href"): href}


def aip_mets(*, aip_id: str, head: SipHead, creator_name: str, creator_code: str,
             agreement: str, premis: Entry, submission_mets: Entry,
             created: dt.datetime) -> bytes:
    when = _stamp(created)
    attributes = {"OBJID": aip_id, "LABEL": head.label or head.objid or aip_id,
                  "TYPE": head.type, _q(CSIP, "CONTENTINFORMATIONTYPE"): head.content_type,
                  "PROFILE": AIP_PROFILE}
    if head.other_type:
        attributes[_q(CSIP, "OTHERTYPE")] = head.other_type
    if head.other_content_type:
        attributes[_q(CSIP, "OTHERCONTENTINFORMATIONTYPE")] = head.other_content_type
    root = etree.Element(_q(METS, "mets"), attributes, nsmap=NSMAP)
    header = etree.SubElement(root, _q(METS, "metsHdr"), {
        "CREATEDATE": when, "LASTMODDATE": when, "RECORDSTATUS": "NEW",
        _q(CSIP, "OAISPACKAGETYPE"): "AIP"})
    software = etree.SubElement(header, _q(METS, "agent"), {
        "ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
    etree.SubElement(software, _q(METS, "name")).text = "Diarium"
    etree.SubElement(software, _q(METS, "note"),
                     {_q(CSIP, "NOTETYPE"): "SOFTWARE VERSION"}).text = software_version()
    archivist = etree.SubElement(header, _q(METS, "agent"),
                                 {"ROLE": "ARCHIVIST", "TYPE": "ORGANIZATION"})
    etree.SubElement(archivist, _q(METS, "name")).text = creator_name
    if creator_code:
        etree.SubElement(archivist, _q(METS, "note"),
                         {_q(CSIP, "NOTETYPE"): "IDENTIFICATIONCODE"}).text = creator_code
    etree.SubElement(header, _q(METS, "altRecordID"),
                     {"TYPE": "SUBMISSIONAGREEMENT"}).text = agreement
    amd = etree.SubElement(root, _q(METS, "amdSec"), {"ID": "amd-aip"})
    digiprov = etree.SubElement(amd, _q(METS, "digiprovMD"), {
        "ID": "digiprov-premis", "CREATED": when, "STATUS": "CURRENT"})
    etree.SubElement(digiprov, _q(METS, "mdRef"), {
        **_link(PREMIS_PATH), "MDTYPE": "PREMIS", "MDTYPEVERSION": "3.0",
        **_file_attributes(premis, when), "LABEL": "premis.xml"})
    file_sec = etree.SubElement(root, _q(METS, "fileSec"), {"ID": "filesec-aip"})
    group = etree.SubElement(file_sec, _q(METS, "fileGrp"), {
        "ID": "grp-submission", "USE": "Submission",
        _q(CSIP, "CONTENTINFORMATIONTYPE"): head.content_type})
    file = etree.SubElement(group, _q(METS, "file"), {
        "ID": "file-submission-mets", **_file_attributes(submission_mets, when)})
    etree.SubElement(file, _q(METS, "FLocat"), _link(f"{SUBMISSION}/{METS_PATH}"))
    struct = etree.SubElement(root, _q(METS, "structMap"), {
        "ID": "structmap-aip", "TYPE": "PHYSICAL", "LABEL": "CSIP"})
    main = etree.SubElement(struct, _q(METS, "div"), {"ID": "div-aip", "LABEL": aip_id})
    etree.SubElement(main, _q(METS, "div"), {
        "ID": "div-metadata", "LABEL": "Metadata", "ADMID": "digiprov-premis"})
    submission = etree.SubElement(main, _q(METS, "div"), {
        "ID": "div-submission", "LABEL": "Submission"})
    etree.SubElement(submission, _q(METS, "mptr"), {
        **_link(f"{SUBMISSION}/{METS_PATH}"), _q(XLINK, "title"): head.objid or "SIP"})
    etree.SubElement(submission, _q(METS, "fptr"), {"FILEID": "grp-submission"})
    tree = etree.ElementTree(root)
    schema = mets_schema()
    if not schema.validate(tree):
        raise InvalidMetadata(f"AIP METS: {schema.error_log.last_error}")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
