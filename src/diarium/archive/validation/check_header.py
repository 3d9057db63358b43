"""CSIP1-CSIP16 and CSIP117: the mets root element and the METS header."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from .context import Context
from .mets import Element, MetsDocument, csip, m, text_of
from .vocabularies import (
    CONTENT_CATEGORIES_FOLDED,
    CONTENT_INFORMATION_TYPES,
    OAIS_PACKAGE_TYPES,
)


def check_root(ctx: Context, doc: MetsDocument) -> None:
    root = doc.root
    where = doc.at(root, "mets")
    objid = root.get("OBJID")
    if objid is None or not objid.strip():
        ctx.error("CSIP1", "mets/@OBJID saknas eller är tomt", "mets/@OBJID is missing or empty",
                  where)
    elif objid != (name := ctx.package.name if doc.is_package else doc.name):
        kind_sv, kind_en = (("paketets rotmapp", "the package root folder") if doc.is_package
                            else ("representationsmappen", "the representation folder"))
        ctx.warn("CSIP1", f"mets/@OBJID '{objid}' är inte namnet på {kind_sv} ('{name}')",
                 f"mets/@OBJID '{objid}' is not the name of {kind_en} ('{name}')", where)
    _check_type(ctx, doc)
    _check_content_information_type(ctx, doc)
    _check_profile(ctx, doc, where)


def _check_profile(ctx: Context, doc: MetsDocument, where: str) -> None:
    """CSIP6: 'the URL of the METS profile that the information package conforms with'."""
    value = (doc.root.get("PROFILE") or "").strip()
    if not value:
        ctx.error("CSIP6", "mets/@PROFILE saknas eller är tomt", "mets/@PROFILE is missing or "
                  "empty", where)
        return
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        ctx.error("CSIP6", f"mets/@PROFILE '{value}' är inte en URL till en profil",
                  f"mets/@PROFILE '{value}' is not the URL of a profile", where)
    elif doc.is_package and not ctx.rules.known_profile:
        name = ctx.rules.name
        ctx.add("RULES", f"Profilen '{value}' är ingen E-ARK CSIP- eller SIP-profil som "
                f"Diarium känner; paketet kontrolleras mot {name}",
                f"The profile '{value}' is not an E-ARK CSIP or SIP profile Diarium knows; "
                f"the package is checked against {name}", where)


def _check_type(ctx: Context, doc: MetsDocument) -> None:
    where = doc.at(doc.root, "mets/@TYPE")
    value = doc.root.get("TYPE")
    if value is None:
        ctx.error("CSIP2", "mets/@TYPE saknas", "mets/@TYPE is missing", where)
        return
    if value.casefold() not in CONTENT_CATEGORIES_FOLDED:
        ctx.error("CSIP2", f"mets/@TYPE '{value}' finns inte i vokabulären för innehållskategori",
                  f"mets/@TYPE '{value}' is not in the content category vocabulary", where)
    elif value.casefold() == "other" and not (doc.root.get(csip("OTHERTYPE")) or "").strip():
        ctx.error("CSIP2", "mets/@TYPE är OTHER men csip:OTHERTYPE saknas eller är tomt",
                  "mets/@TYPE is OTHER but csip:OTHERTYPE is missing or empty", where)


def _check_content_information_type(ctx: Context, doc: MetsDocument) -> None:
    where = doc.at(doc.root, "mets/@csip:CONTENTINFORMATIONTYPE")
    value = doc.root.get(csip("CONTENTINFORMATIONTYPE"))
    other = doc.root.get(csip("OTHERCONTENTINFORMATIONTYPE"))
    if value is None:
        if doc.is_package:
            ctx.warn("CSIP4", "mets/@csip:CONTENTINFORMATIONTYPE saknas",
                     "mets/@csip:CONTENTINFORMATIONTYPE is missing", where)
        else:
            ctx.error("CSIP4", "mets/@csip:CONTENTINFORMATIONTYPE saknas i en representations "
                      "METS.xml", "mets/@csip:CONTENTINFORMATIONTYPE is missing in a "
                      "representation METS.xml", where)
    elif value not in CONTENT_INFORMATION_TYPES:
        ctx.error("CSIP4", f"mets/@csip:CONTENTINFORMATIONTYPE '{value}' finns inte i vokabulären",
                  f"mets/@csip:CONTENTINFORMATIONTYPE '{value}' is not in the vocabulary", where)
    elif value == "OTHER" and not (other or "").strip():
        ctx.error("CSIP4", "CONTENTINFORMATIONTYPE är OTHER men "
                  "csip:OTHERCONTENTINFORMATIONTYPE saknas eller är tomt",
                  "CONTENTINFORMATIONTYPE is OTHER but csip:OTHERCONTENTINFORMATIONTYPE is "
                  "missing or empty", where)
    if other is not None and value != "OTHER":
        ctx.error("CSIP5", "csip:OTHERCONTENTINFORMATIONTYPE får bara användas när "
                  "CONTENTINFORMATIONTYPE är OTHER",
                  "csip:OTHERCONTENTINFORMATIONTYPE may only be used when "
                  "CONTENTINFORMATIONTYPE is OTHER", where)


def check_header(ctx: Context, doc: MetsDocument, now: datetime | None = None) -> None:
    headers = doc.children(doc.root, "metsHdr")
    if len(headers) != 1:
        ctx.error("CSIP117", "mets/metsHdr måste finnas exakt en gång",
                  "mets/metsHdr must occur exactly once", doc.at(doc.root, "mets"))
        if not headers:
            return
    header = headers[0]
    where = doc.at(header, "metsHdr")
    if not header.get("CREATEDATE"):
        ctx.error("CSIP7", "metsHdr/@CREATEDATE saknas", "metsHdr/@CREATEDATE is missing", where)
    _check_lastmod(ctx, header.get("LASTMODDATE"), where, now or datetime.now(UTC))
    package_type = header.get(csip("OAISPACKAGETYPE"))
    if package_type is None:
        ctx.error("CSIP9", "metsHdr/@csip:OAISPACKAGETYPE saknas",
                  "metsHdr/@csip:OAISPACKAGETYPE is missing", where)
    elif package_type not in OAIS_PACKAGE_TYPES:
        ctx.error("CSIP9", f"metsHdr/@csip:OAISPACKAGETYPE '{package_type}' finns inte i "
                  "vokabulären", f"metsHdr/@csip:OAISPACKAGETYPE '{package_type}' is not in "
                  "the vocabulary", where)
    _check_agents(ctx, doc, header)


def _check_lastmod(ctx: Context, value: str | None, where: str, now: datetime) -> None:
    if value is None:
        ctx.warn("CSIP8", "metsHdr/@LASTMODDATE saknas (ska anges om paketet har ändrats)",
                 "metsHdr/@LASTMODDATE is missing (it is set when the package was modified)",
                 where)
        return
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return  # the schema reports a malformed dateTime
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment > now + timedelta(days=1):
        ctx.error("CSIP8", f"metsHdr/@LASTMODDATE {value} ligger i framtiden",
                  f"metsHdr/@LASTMODDATE {value} is in the future", where)


def _check_agents(ctx: Context, doc: MetsDocument, header: Element) -> None:
    agents = doc.children(header, "agent")
    where = doc.at(header, "metsHdr/agent")
    if not agents:
        ctx.error("CSIP10", "metsHdr saknar agent (programvaran som skapade paketet)",
                  "metsHdr has no agent (the software that created the package)", where)
        return
    software = [a for a in agents if a.get("ROLE") == "CREATOR" and a.get("TYPE") == "OTHER"
                and a.get("OTHERTYPE") == "SOFTWARE"]
    if not software:
        creators = [a for a in agents if a.get("ROLE") == "CREATOR"]
        ctx.error("CSIP11", "Ingen agent har ROLE='CREATOR', TYPE='OTHER' och "
                  "OTHERTYPE='SOFTWARE' (programvaran som skapade paketet)",
                  "No agent has ROLE='CREATOR', TYPE='OTHER' and OTHERTYPE='SOFTWARE' (the "
                  "software that created the package)", where)
        if creators and not any(a.get("TYPE") == "OTHER" for a in creators):
            ctx.error("CSIP12", "Agenten med ROLE='CREATOR' saknar TYPE='OTHER'",
                      "The agent with ROLE='CREATOR' lacks TYPE='OTHER'", where)
        if creators and not any(a.get("OTHERTYPE") == "SOFTWARE" for a in creators):
            ctx.error("CSIP13", "Agenten med ROLE='CREATOR' saknar OTHERTYPE='SOFTWARE'",
                      "The agent with ROLE='CREATOR' lacks OTHERTYPE='SOFTWARE'", where)
        software = [a for a in creators if a.get("TYPE") in (None, "OTHER")][:1]
        if not software:
            return
    agent = software[0]
    where = doc.at(agent, "metsHdr/agent")
    if not text_of(agent.find(m("name"))):
        ctx.error("CSIP14", "Agenten saknar namn (name) på programvaran",
                  "The agent has no name of the software", where)
    notes = doc.children(agent, "note")
    if not notes:
        ctx.error("CSIP15", "Agenten saknar note med programvarans version",
                  "The agent has no note with the software version", where)
    elif len(notes) > 1:
        ctx.error("CSIP15", "Agenten har mer än en note", "The agent has more than one note",
                  where)
    elif not text_of(notes[0]):
        ctx.error("CSIP15", "Agentens note (programvarans version) är tom",
                  "The agent's note (the software version) is empty", where)
    if notes and not any(n.get(csip("NOTETYPE")) == "SOFTWARE VERSION" for n in notes):
        ctx.error("CSIP16", "Agentens note saknar csip:NOTETYPE='SOFTWARE VERSION'",
                  "The agent's note lacks csip:NOTETYPE='SOFTWARE VERSION'", where)
