"""PREMIS files referenced from digiprovMD (MDTYPE="PREMIS") are parsed as untrusted XML and
validated against the PREMIS 2.1 or 3.0 schema their namespace names."""

from __future__ import annotations

from .context import Context
from .package import PackageUnreadable
from .schema import premis_schema, schema_findings
from .xmlsafe import parse_untrusted

MAX_PREMIS_BYTES = 64 << 20


def check_premis(ctx: Context) -> None:
    for path in dict.fromkeys(ctx.premis):
        _check_file(ctx, path)


def _check_file(ctx: Context, path: str) -> None:
    member = ctx.package.files.get(path)
    if member is None or member.size > MAX_PREMIS_BYTES:
        return
    try:
        data = ctx.package.read_bytes(path, MAX_PREMIS_BYTES)
    except PackageUnreadable:
        return
    parsed = parse_untrusted(data, path, malformed="METADATA-XML")
    ctx.findings.extend(parsed.findings)
    if parsed.tree is None:
        return
    namespace = parsed.tree.getroot().tag.partition("}")[0].lstrip("{")
    schema = premis_schema(namespace)
    if schema is None:
        ctx.warn("CSIP32", f"{path} är inte PREMIS 2 eller 3 (namnrymd '{namespace}')",
                 f"{path} is not PREMIS 2 or 3 (namespace '{namespace}')", path)
        return
    for finding in schema_findings(schema, parsed.tree, "CSIP32", path):
        ctx.warn(finding.requirement, f"PREMIS: {finding.message}",
                 f"PREMIS: {finding.message_en}", finding.location)
