"""XML Schema validation against the schemas shipped in diarium/archive/schemas/ (METS 1.12
with XLink, the E-ARK CSIP and SIP extension schemas, PREMIS 2.1 and 3.0). Remote schema
locations are mapped to the local copies; nothing is fetched from the network."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from .messages import make
from .report import Finding, Severity

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
_LOCAL = {
    "http://www.loc.gov/standards/xlink/xlink.xsd": "xlink.xsd",
    "https://www.loc.gov/standards/xlink/xlink.xsd": "xlink.xsd",
    "http://www.loc.gov/standards/mets/xlink.xsd": "xlink.xsd",
}
PREMIS_SCHEMAS = {
    "http://www.loc.gov/premis/v3": "premis-v3-0.xsd",
    "info:lc/xmlns/premis-v2": "premis-v2-1.xsd",
}
MAX_SCHEMA_ERRORS = 50


class _LocalResolver(etree.Resolver):
    def resolve(self, url, pubid, context):
        name = _LOCAL.get(url) or (Path(url).name if url and not url.startswith("http") else "")
        path = SCHEMA_DIR / name if name else None
        if path is not None and path.is_file():
            return self.resolve_filename(str(path), context)
        return self.resolve_string("", context)  # refuse anything else


def _load(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalResolver())
    document = etree.parse(str(SCHEMA_DIR / name), parser)
    return etree.XMLSchema(document)


@cache
def mets_schema() -> etree.XMLSchema:
    return _load("eark-mets.xsd")


@cache
def premis_schema(namespace: str) -> etree.XMLSchema | None:
    name = PREMIS_SCHEMAS.get(namespace)
    return _load(name) if name else None


def schema_findings(
    schema: etree.XMLSchema,
    tree: etree._ElementTree,
    requirement: str,
    location: str,
    severity: Severity | None = None,
) -> list[Finding]:
    if schema.validate(tree):
        return []
    findings = []
    for error in list(schema.error_log)[:MAX_SCHEMA_ERRORS]:
        findings.append(make(
            requirement,
            f"Schemafel: {error.message}",
            f"Schema error: {error.message}",
            f"{location}:{error.line}",
            severity,
        ))
    return findings
