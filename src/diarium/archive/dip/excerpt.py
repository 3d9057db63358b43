"""The ERMS metadata delivered in a DIP: the AIP's ERMS document with only the delivered
records, their appendices pointing at the delivered files, and the parts a secrecy review
masked taken out (the title replaced by the public title, the people named, notes, and
the case's actions)."""

from __future__ import annotations

from lxml import etree

from diarium.archive.erms.schema import ERMS_NS
from diarium.archive.erms.xml import serialise
from diarium.archive.validation.xmlsafe import parse_untrusted

MASKED_TITLE = "[Maskerad]"
_MASKED_AGENTS = {"counterpart", "sender", "receiver"}
_MASKED_OTHER_AGENTS = {"data_subject"}


def _e(tag: str) -> str:
    return f"{{{ERMS_NS}}}{tag}"


def _object_id(element: etree._Element) -> str:
    found = element.find(_e("objectId"))
    text = (found.text or "").strip() if found is not None else ""
    return text or element.get("systemIdentifier", "")


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _mask(element: etree._Element) -> None:
    title = element.find(_e("title"))
    if title is not None:
        public = [o for o in element.findall(_e("otherTitle"))
                  if o.get("titleType") in ("publicTitle", "public")]
        title.text = (public[0].text or "").strip() if public and public[0].text else MASKED_TITLE
    for tag in ("description", "notes", "action"):
        for found in element.findall(_e(tag)):
            _remove(found)
    agents = element.find(_e("agents"))
    for agent in list(agents) if agents is not None else []:
        kind = agent.get("agentType", "")
        if kind in _MASKED_AGENTS or (kind == "other" and agent.get("otherAgentType")
                                      in _MASKED_OTHER_AGENTS):
            agents.remove(agent)
    if agents is not None and len(agents) == 0:
        _remove(agents)


def _appendices(record: etree._Element, delivered: dict[str, str],
                added: list[tuple[str, str, str]]) -> None:
    """Keep the appendices of delivered files (with their DIP paths) and add those of
    masked copies (name, DIP path, media type)."""
    extra = record.find(_e("additionalInformation"))
    for appendix in list(extra) if extra is not None else []:
        if appendix.tag != _e("appendix"):
            continue
        path = "submission/" + (appendix.get("path") or "").lstrip("/")
        if path in delivered:
            appendix.set("path", delivered[path])
        else:
            extra.remove(appendix)
    if added:
        if extra is None:
            extra = etree.SubElement(record, _e("additionalInformation"))
        for name, path, mime in added:
            etree.SubElement(extra, _e("appendix"), name=name, path=path, fileFormat=mime)
    if extra is not None and len(extra) == 0:
        _remove(extra)


def excerpt(data: bytes, *, keep: set[str], masked: set[str], delivered: dict[str, str],
            masked_files: dict[str, list[tuple[str, str, str]]]) -> bytes | None:
    """keep/masked: identifiers (objectId) of the records and aggregations delivered and of
    those masked; delivered: AIP path -> DIP path of each delivered file; masked_files:
    identifier -> (name, DIP path, media type) of its masked copies."""
    parsed = parse_untrusted(data, "erms.xml")
    if parsed.tree is None or parsed.tree.getroot().tag != _e("erms"):
        return None
    root = parsed.tree.getroot()
    for record in list(root.iter(_e("record"))):
        ident = _object_id(record)
        if ident not in keep:
            _remove(record)
            continue
        if ident in masked:
            _mask(record)
        _appendices(record, delivered, masked_files.get(ident, []))
    for aggregation in list(root.iter(_e("aggregation"))):
        ident = _object_id(aggregation)
        if ident not in keep:
            _remove(aggregation)
        elif ident in masked:
            _mask(aggregation)
    for container in ("records", "aggregations"):
        for found in root.findall(_e(container)):
            if len(found) == 0:
                _remove(found)
    return serialise(root)
