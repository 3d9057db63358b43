"""SIP1-SIP35: the E-ARK SIP 2.1 additions to CSIP (mets/@PROFILE, package status, agents,
submission agreements and file format attributes)."""

from __future__ import annotations

from collections import defaultdict

from .context import Context
from .mets import Element, MetsDocument, csip, sip, text_of
from .vocabularies import RECORD_STATUS, SIP_PROFILE

_ALT_RECORD_IDS = {  # TYPE -> (requirement, may occur more than once)
    "SUBMISSIONAGREEMENT": ("SIP5", False),
    "PREVIOUSSUBMISSIONAGREEMENT": ("SIP6", True),
    "REFERENCECODE": ("SIP7", False),
    "PREVIOUSREFERENCECODE": ("SIP8", True),
}
_FORMAT_ATTRIBUTES = {  # requirement -> attribute names (profile spelling, schema spelling)
    "SIP32": ("FILEFORMATNAME",),
    "SIP33": ("FILEFORMATVERSION",),
    "SIP34": ("FILEFORMATREGISTRY", "FORMATREGISTRY"),
    "SIP35": ("FILEFORMATKEY", "FORMATREGISTRYKEY"),
}


def check_sip(ctx: Context, doc: MetsDocument) -> None:
    root = doc.root
    where = doc.at(root, "mets")
    if not (root.get("LABEL") or "").strip():
        ctx.info("SIP1", "mets/@LABEL (en kort beskrivning av paketet) saknas eller är tomt",
                 "mets/@LABEL (a short description of the package) is missing or empty", where)
    if root.get("PROFILE") != SIP_PROFILE:
        ctx.error("SIP2", f"mets/@PROFILE måste vara '{SIP_PROFILE}', inte "
                  f"'{root.get('PROFILE') or ''}'", f"mets/@PROFILE must be '{SIP_PROFILE}', "
                  f"not '{root.get('PROFILE') or ''}'", where)
    header = doc.first(root, "metsHdr")
    if header is None:
        return
    where = doc.at(header, "metsHdr")
    status = header.get("RECORDSTATUS")
    if status is None:
        ctx.info("SIP3", "metsHdr/@RECORDSTATUS saknas (tolkas som NEW)",
                 "metsHdr/@RECORDSTATUS is missing (taken as NEW)", where)
    elif status not in RECORD_STATUS:
        ctx.warn("SIP3", f"metsHdr/@RECORDSTATUS '{status}' finns inte i vokabulären",
                 f"metsHdr/@RECORDSTATUS '{status}' is not in the vocabulary", where)
    if header.get(csip("OAISPACKAGETYPE")) != "SIP":
        ctx.error("SIP4", "metsHdr/@csip:OAISPACKAGETYPE måste vara 'SIP'",
                  "metsHdr/@csip:OAISPACKAGETYPE must be 'SIP'", where)
    _check_alt_record_ids(ctx, doc, header)
    _check_agents(ctx, doc, header)


def _check_alt_record_ids(ctx: Context, doc: MetsDocument, header: Element) -> None:
    found: dict[str, list] = defaultdict(list)
    for element in doc.children(header, "altRecordID"):
        found[element.get("TYPE") or ""].append(element)
    for kind, (requirement, repeatable) in _ALT_RECORD_IDS.items():
        elements = found.get(kind, [])
        where = doc.at(elements[0] if elements else header, f"altRecordID[@TYPE='{kind}']")
        if not elements:
            ctx.info(requirement, f"altRecordID med TYPE='{kind}' saknas",
                     f"altRecordID with TYPE='{kind}' is missing", where)
            continue
        if any(not text_of(e) for e in elements):
            ctx.warn(requirement, f"altRecordID med TYPE='{kind}' är tomt",
                     f"altRecordID with TYPE='{kind}' is empty", where)
        if len(elements) > 1 and not repeatable:
            ctx.warn(requirement, f"altRecordID med TYPE='{kind}' förekommer mer än en gång",
                     f"altRecordID with TYPE='{kind}' occurs more than once", where)


def _typed_notes(agent: Element) -> bool:
    return all(n.get(csip("NOTETYPE")) == "IDENTIFICATIONCODE" for n in agent.iterchildren(
        "{*}note"))


def _check_agents(ctx: Context, doc: MetsDocument, header: Element) -> None:
    agents = doc.children(header, "agent")
    submitting = False
    for agent in agents:
        role, kind = agent.get("ROLE"), agent.get("TYPE")
        where = doc.at(agent, f"agent[@ROLE='{role}']")
        if role == "ARCHIVIST":
            if kind not in ("ORGANIZATION", "INDIVIDUAL"):
                ctx.error("SIP11", "Arkivbildaragentens TYPE måste vara ORGANIZATION eller "
                          "INDIVIDUAL", "The archival creator agent's TYPE must be ORGANIZATION "
                          "or INDIVIDUAL", where)
            if not _typed_notes(agent):
                ctx.error("SIP14", "Arkivbildaragentens note måste ha "
                          "csip:NOTETYPE='IDENTIFICATIONCODE'", "The archival creator agent's "
                          "note must have csip:NOTETYPE='IDENTIFICATIONCODE'", where)
        elif role == "CREATOR" and kind in ("ORGANIZATION", "INDIVIDUAL"):
            submitting = True
            if kind == "ORGANIZATION" and not _typed_notes(agent):
                ctx.error("SIP20", "Den levererande agentens note måste ha "
                          "csip:NOTETYPE='IDENTIFICATIONCODE'", "The submitting agent's note "
                          "must have csip:NOTETYPE='IDENTIFICATIONCODE'", where)
            if kind == "INDIVIDUAL" and not text_of(agent.find("{*}name")):
                ctx.error("SIP24", "Kontaktpersonen saknar namn", "The contact person has no "
                          "name", where)
        elif role == "PRESERVATION":
            if kind != "ORGANIZATION":
                ctx.error("SIP28", "Bevarandeagentens TYPE måste vara ORGANIZATION",
                          "The preservation agent's TYPE must be ORGANIZATION", where)
            if not _typed_notes(agent):
                ctx.error("SIP31", "Bevarandeagentens note måste ha "
                          "csip:NOTETYPE='IDENTIFICATIONCODE'", "The preservation agent's note "
                          "must have csip:NOTETYPE='IDENTIFICATIONCODE'", where)
    if not submitting:
        ctx.error("SIP15", "Ingen levererande agent (ROLE='CREATOR' med TYPE='ORGANIZATION' "
                  "eller 'INDIVIDUAL')", "No submitting agent (ROLE='CREATOR' with "
                  "TYPE='ORGANIZATION' or 'INDIVIDUAL')", doc.at(header, "metsHdr"))


def check_file_formats(ctx: Context, doc: MetsDocument) -> None:
    """SIP32-SIP35, summarised per METS document (a package may list 100,000 files)."""
    missing: dict[str, list] = defaultdict(list)
    empty: dict[str, list] = defaultdict(list)
    for file in doc.root.iter("{http://www.loc.gov/METS/}file"):
        for requirement, names in _FORMAT_ATTRIBUTES.items():
            values = [file.get(sip(n)) for n in names if file.get(sip(n)) is not None]
            if not values:
                missing[requirement].append(file)
            elif not any(v.strip() for v in values):
                empty[requirement].append(file)
    for requirement, names in _FORMAT_ATTRIBUTES.items():
        if missing[requirement]:
            ctx.info(requirement, f"{len(missing[requirement])} file-element saknar sip:{names[0]}",
                     f"{len(missing[requirement])} file element(s) lack sip:{names[0]}",
                     doc.at(missing[requirement][0], "file"))
        if empty[requirement]:
            ctx.warn(requirement, f"{len(empty[requirement])} file-element har tomt sip:{names[0]}",
                     f"{len(empty[requirement])} file element(s) have an empty sip:{names[0]}",
                     doc.at(empty[requirement][0], "file"))
