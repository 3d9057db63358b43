"""Every XML file in a metadata folder (metadata/ and representations/*/metadata/) is parsed
with the same safe parser as the METS: an external DTD, entity declarations (XXE, entity
bombs) or broken XML are findings (SAFE-XML, METADATA-XML), in `validate` and at ingest alike.

The same pass reads the package's CITS ERMS documents, so that a submission agreement can
check their record types without trusting a file name: the ERMS documents are those the
METS documents reference from a dmdSec of the ERMS type (mdRef or inline mdWrap) and any
metadata XML whose root element is an ERMS document. What could not be read is recorded as
such, never skipped (the agreement check refuses it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from .context import Context
from .package import PackageUnreadable
from .xmlsafe import parse_untrusted

ERMS_NS = "https://DILCIS.eu/XML/ERMS"
MAX_METADATA_XML_BYTES = 64 << 20


@dataclass
class ErmsDocument:
    """One CITS ERMS document of the package: where, whether it could be read, and how many
    records of each record type it holds ("" for records without one)."""

    path: str
    problem: str = ""  # why it could not be read ("" when it could)
    record_types: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict:
        return {"path": self.path, "problem": self.problem,
                "record_types": dict(self.record_types)}


def is_erms_type(section: etree._Element) -> bool:
    """An mdRef/mdWrap that declares ERMS content (MDTYPE='OTHER', OTHERMDTYPE ~ 'ERMS')."""
    other = (section.get("OTHERMDTYPE") or "").casefold()
    return section.get("MDTYPE") == "OTHER" and "erms" in other


def summarise(root: etree._Element, path: str) -> ErmsDocument:
    """The record types of the ERMS document rooted at `root`."""
    if root.tag != f"{{{ERMS_NS}}}erms":
        return ErmsDocument(path, f"not a CITS ERMS document (root element {root.tag})")
    found = ErmsDocument(path)
    for record in root.iter(f"{{{ERMS_NS}}}record"):
        found.record_types[(record.get("recordType") or "").strip()] += 1
    return found


def _in_metadata(path: str) -> bool:
    parts = path.split("/")
    return parts[0] == "metadata" or (len(parts) > 3 and parts[0] == "representations"
                                      and parts[2] == "metadata")


def check_metadata_xml(ctx: Context) -> None:
    """Parse every metadata XML file once (PREMIS files were parsed by check_premis); keep
    the ERMS summaries in ctx.erms."""
    premis = set(ctx.premis)
    paths = {p for p in ctx.package.files if _in_metadata(p) and p.casefold().endswith(".xml")
             and p not in premis}
    paths |= {p for p in ctx.erms if p in ctx.package.files}
    for path in sorted(paths):
        tree, problem = _parse(ctx, path)
        is_erms = tree is not None and tree.getroot().tag == f"{{{ERMS_NS}}}erms"
        if path in ctx.erms or is_erms:
            ctx.erms[path] = (summarise(tree.getroot(), path) if tree is not None
                              else ErmsDocument(path, problem))
    for path, summary in ctx.erms.items():
        if summary is None:  # referenced as ERMS, but not a file of the package
            ctx.erms[path] = ErmsDocument(path, "not in the package")


def _parse(ctx: Context, path: str) -> tuple[etree._ElementTree | None, str]:
    if ctx.package.files[path].size > MAX_METADATA_XML_BYTES:
        return None, f"larger than {MAX_METADATA_XML_BYTES} bytes"
    try:
        data = ctx.package.read_bytes(path, MAX_METADATA_XML_BYTES)
    except PackageUnreadable as exc:
        return None, exc.finding.message_en
    parsed = parse_untrusted(data, path, malformed="METADATA-XML")
    ctx.findings.extend(parsed.findings)
    problem = "; ".join(f.message_en for f in parsed.findings)
    return parsed.tree, problem
