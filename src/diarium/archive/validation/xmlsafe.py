"""Parsing untrusted XML: no entity expansion, no network, no huge trees, no DTDs with
entities. A document that tries any of that is rejected with a SAFE-XML finding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from .messages import make
from .report import Finding


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=False,
    )


@dataclass
class Parsed:
    tree: etree._ElementTree | None
    findings: list[Finding]


def parse_untrusted(data: bytes | BinaryIO, location: str, malformed: str = "METS-XML"
                    ) -> Parsed:
    """Parse `data` (bytes, or a stream: then no copy of the document is held besides its
    tree); `tree` is None when the document must not be used. `malformed`: the requirement
    a document that is not well-formed XML breaks."""
    try:
        if isinstance(data, bytes):
            root = etree.fromstring(data, safe_parser())
        else:
            root = etree.parse(data, safe_parser()).getroot()
    except etree.XMLSyntaxError as exc:
        return Parsed(None, [syntax_error_finding(exc, location, malformed)])
    tree = root.getroottree()
    problem = unsafe_document(tree, location)
    if problem is not None:
        return Parsed(None, [problem])
    return Parsed(tree, [])


def syntax_error_finding(exc: etree.XMLSyntaxError, location: str,
                         malformed: str = "METS-XML") -> Finding:
    """The finding for a document the parser refused: entity expansion (SAFE-XML) or not
    well-formed (`malformed`)."""
    text = str(exc)
    if "entity" in text.lower() or "amplification" in text.lower():
        return make(
            "SAFE-XML",
            f"XML-dokumentet avvisas: entitetsexpansion (t.ex. 'billion laughs'): {text}",
            f"The XML document is rejected: entity expansion (e.g. 'billion laughs'): {text}",
            location,
        )
    return make(
        malformed,
        f"Dokumentet är inte välformad XML: {text}",
        f"The document is not well-formed XML: {text}",
        location,
    )


def unsafe_document(tree: etree._ElementTree, location: str) -> Finding | None:
    """A SAFE-XML finding when the parsed document has a DTD declaring entities or an
    external DTD (it must then not be used), else None."""
    dtd = tree.docinfo.internalDTD
    entities = [e.name for e in dtd.iterentities()] if dtd is not None else []
    if entities or tree.docinfo.system_url or tree.docinfo.public_id:
        return make(
            "SAFE-XML",
            "XML-dokumentet avvisas: det har en DTD med entiteter eller en extern DTD "
            f"({', '.join(entities) or tree.docinfo.system_url}); externa entiteter (XXE) "
            "och entitetsexpansion tillåts inte",
            "The XML document is rejected: it has a DTD declaring entities or an external "
            f"DTD ({', '.join(entities) or tree.docinfo.system_url}); external entities (XXE) "
            "and entity expansion are not allowed",
            location,
        )
    return None
