"""SIP1-SIP35: the E-ARK SIP 2.1 / 2.2 additions to CSIP (mets/@PROFILE, package status,
agents, submission agreements and file format attributes). 2.2 names its own profile URL
(SIP2) and makes the names of the archival creator, submitting and preservation agents
MUST (SIP12, SIP18, SIP29; MAY in 2.1): the levels come from the rule set's version."""

from __future__ import annotations

from collections import defaultdict

from .context import Context
from .mets import FORMAT_ATTRIBUTES, Element, FormatCounts, MetsDocument, csip, text_of
from .rules import SIP_21, SIP_22, SIP_PROFILES
from .vocabularies import RECORD_STATUS

_ALT_RECORD_IDS = {  # TYPE -> (requirement, may occur more than once)
    "SUBMISSIONAGREEMENT": ("SIP5", False),
    "PREVIOUSSUBMISSIONAGREEMENT": ("SIP6", True),
    "REFERENCECODE": ("SIP7", False),
    "PREVIOUSREFERENCECODE": ("SIP8", True),
}


def check_sip(ctx: Context, doc: MetsDocument) -> None:
    root = doc.root
    where = doc.at(root, "mets")
    if not (root.get("LABEL") or "").strip():
        ctx.info("SIP1", "mets/@LABEL (en kort beskrivning av paketet) saknas eller är tomt",
                 "mets/@LABEL (a short description of the package) is missing or empty", where)
    declared = root.get("PROFILE") or ""
    if declared not in SIP_PROFILES:
        ctx.error("SIP2", f"mets/@PROFILE måste vara '{SIP_21}' (SIP 2.1) eller '{SIP_22}' "
                  f"(SIP 2.2), inte '{declared}'", f"mets/@PROFILE must be '{SIP_21}' (SIP "
                  f"2.1) or '{SIP_22}' (SIP 2.2), not '{declared}'", where)
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
            _check_name(ctx, agent, "SIP12", where)
            if not _typed_notes(agent):
                ctx.error("SIP14", "Arkivbildaragentens note måste ha "
                          "csip:NOTETYPE='IDENTIFICATIONCODE'", "The archival creator agent's "
                          "note must have csip:NOTETYPE='IDENTIFICATIONCODE'", where)
        elif role == "CREATOR" and kind in ("ORGANIZATION", "INDIVIDUAL"):
            submitting = True
            if kind == "ORGANIZATION":
                _check_name(ctx, agent, "SIP18", where)
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
            _check_name(ctx, agent, "SIP29", where)
            if not _typed_notes(agent):
                ctx.error("SIP31", "Bevarandeagentens note måste ha "
                          "csip:NOTETYPE='IDENTIFICATIONCODE'", "The preservation agent's note "
                          "must have csip:NOTETYPE='IDENTIFICATIONCODE'", where)
    if not submitting:
        ctx.error("SIP15", "Ingen levererande agent (ROLE='CREATOR' med TYPE='ORGANIZATION' "
                  "eller 'INDIVIDUAL')", "No submitting agent (ROLE='CREATOR' with "
                  "TYPE='ORGANIZATION' or 'INDIVIDUAL')", doc.at(header, "metsHdr"))


_NAMED = {"SIP12": ("Arkivbildaragenten", "The archival creator agent"),
          "SIP18": ("Den levererande agenten", "The submitting agent"),
          "SIP29": ("Bevarandeagenten", "The preservation agent")}


def _check_name(ctx: Context, agent: Element, requirement: str, where: str) -> None:
    """SIP12/SIP18/SIP29: MAY in SIP 2.1, MUST in 2.2 (the level decides the severity)."""
    if not text_of(agent.find("{*}name")):
        sv, en = _NAMED[requirement]
        ctx.add(requirement, f"{sv} saknar namn (name)", f"{en} has no name", where)


def check_file_formats(ctx: Context, doc: MetsDocument) -> None:
    """SIP32-SIP35, summarised per METS document (a package may list 100,000 files): a
    count and the first file, never a list of every file. The counts were taken while the
    document was read (mets_reader), of file elements no longer in the tree, and of any
    still in it here."""
    counts = FormatCounts()
    counts.missing.update(doc.formats.missing)
    counts.empty.update(doc.formats.empty)
    counts.first.update(doc.formats.first)
    for file in doc.root.iter("{http://www.loc.gov/METS/}file"):
        counts.count(doc, file)
    missing, empty, first = counts.missing, counts.empty, counts.first
    for requirement, names in FORMAT_ATTRIBUTES.items():
        if missing[requirement]:
            ctx.info(requirement, f"{missing[requirement]} file-element saknar sip:{names[0]}",
                     f"{missing[requirement]} file element(s) lack sip:{names[0]}",
                     first[("missing", requirement)])
        if empty[requirement]:
            ctx.warn(requirement, f"{empty[requirement]} file-element har tomt sip:{names[0]}",
                     f"{empty[requirement]} file element(s) have an empty sip:{names[0]}",
                     first[("empty", requirement)])
