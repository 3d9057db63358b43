"""Reading a METS document whose file section may list 100,000 files, in memory that does not
grow with them.

The document is parsed incrementally (lxml iterparse) and validated against the METS schema
while it is parsed. Each file element of the file section is checked as soon as it has been
read (check_files.check_file, with the same rules as before) and then dropped from the tree;
what the later checks need of it is kept per file group (`GroupInfo`: how many files, whether
one is a representation METS, the findings of its files, grouped) and per document (the
counts of missing SIP format attributes). Everything else (header, metadata sections, file
group elements, structural map) stays in the tree, which the other checks read as before.

What a file check adds to the shared context (expected files, references) is kept aside
until the whole document has been read: a document that turns out not to be well-formed adds
nothing but its one finding, as before.

The XML Schema check is a second pass. A document of up to SMALL_BYTES is parsed whole and
validated as before (its tree is small; its schema errors name their lines). A larger one is
validated while it is parsed once more, its elements cleared as they are read; libxml2's
streaming validation gives no line numbers and does not notice an xs:ID used twice, so the
first pass checks every METS element's ID (all of them xs:ID in mets.xsd) itself. (The
schema is not plugged into the first pass: lxml's iterparse with a schema does not report a
document cut short.)"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from lxml import etree

from .check_files import check_file, representation_mets_href
from .context import Context
from .limits import LIMITS
from .messages import make
from .mets import GroupInfo, MetsDocument, m
from .report import Finding, Findings
from .schema import MAX_SCHEMA_ERRORS, mets_schema, schema_findings
from .xmlsafe import parse_untrusted, syntax_error_finding, unsafe_document

SMALL_BYTES = 1 << 20  # a METS this large or smaller is schema-validated as a whole tree
FILE = m("file")
GROUP = m("fileGrp")
LOCATOR = m("FLocat")
METS_PREFIX = "{http://www.loc.gov/METS/}"


def read_mets(ctx: Context, path: str, folder: str,
              on_root: Callable[[etree._Element], None] | None = None
              ) -> MetsDocument | None:
    """The METS document at `path` with its file elements checked and dropped; None (with a
    finding) when it is not well-formed or not safe to use. `on_root` is called with the root
    element before the first file is checked (to choose the rule set from its profile)."""
    document = MetsDocument(path, folder, None)
    previous = ctx.document
    aside: Context | None = None
    duplicates: list[str] = []
    identifiers: set[str] = set()
    with ctx.package.open_limited(path, LIMITS.max_mets_bytes) as stream:
        events = etree.iterparse(stream, events=("end",), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False)
        try:
            for _event, element in events:
                if aside is None:
                    root = element.getroottree().getroot()
                    document.tree = root.getroottree()
                    if on_root is not None:
                        on_root(root)
                    ctx.document = document
                    aside = dataclasses.replace(ctx, expected=[], referenced={}, premis=[])
                ident = element.get("ID")
                if ident is not None and element.tag.startswith(METS_PREFIX):
                    if ident in identifiers:
                        duplicates.append(
                            f"Element '{element.tag}', attribute 'ID': '{ident}' is not a "
                            "valid value of the atomic type 'xs:ID' (it is used twice).")
                    identifiers.add(ident)
                if element.tag != FILE:
                    continue
                document.formats.count(document, element)
                parent = element.getparent()
                if parent is None or parent.tag != GROUP:
                    continue  # a file inside a file: dropped with the file around it
                info = document.groups.get(parent)
                if info is None:
                    info = document.groups[parent] = GroupInfo(Findings(ctx.findings.keep_all))
                info.files += 1
                aside.findings = info.findings
                check_file(aside, document, element)
                if not info.lists_representation_mets:
                    locator = element.find(LOCATOR)
                    info.lists_representation_mets = locator is not None and \
                        representation_mets_href(locator.get(f"{{{_XLINK}}}href"))
                parent.remove(element)
        except etree.XMLSyntaxError as exc:
            ctx.findings.append(syntax_error_finding(exc, path))
            return None
        finally:
            ctx.document = previous
    if aside is None:  # an empty document cannot get here: the parser refuses it
        return None
    problem = unsafe_document(document.tree, path)
    if problem is not None:
        ctx.findings.append(problem)
        return None
    _merge(ctx, aside)
    ctx.findings.extend(_schema_findings(ctx, path, duplicates))
    return document


_XLINK = "http://www.w3.org/1999/xlink"


def _merge(ctx: Context, aside: Context) -> None:
    ctx.expected.extend(aside.expected)
    for path, kinds in aside.referenced.items():
        for kind in kinds:
            ctx.add_reference(path, kind)
    ctx.premis.extend(aside.premis)


def _schema_findings(ctx: Context, path: str, duplicates: list[str]) -> list[Finding]:
    """METS-XSD findings: of the whole tree for a small document, else of a streaming pass
    (and the IDs the first pass found used twice)."""
    member = ctx.package.files.get(path)
    if member is not None and member.size <= SMALL_BYTES:
        with ctx.package.open_limited(path, LIMITS.max_mets_bytes) as stream:
            parsed = parse_untrusted(stream, path)
        if parsed.tree is None:
            return parsed.findings
        return schema_findings(mets_schema(), parsed.tree, "METS-XSD", path)
    messages = _streamed_schema_errors(ctx, path) + duplicates
    return [make("METS-XSD", f"Schemafel: {message}", f"Schema error: {message}", path)
            for message in messages[:MAX_SCHEMA_ERRORS]]


def _streamed_schema_errors(ctx: Context, path: str) -> list[str]:
    """The schema errors libxml2 finds while it parses the document, each element dropped
    once it has been read (the document is known to be well-formed)."""
    etree.clear_error_log()  # else the exception carries errors of earlier validations
    with ctx.package.open_limited(path, LIMITS.max_mets_bytes) as stream:
        try:
            for _event, element in etree.iterparse(
                    stream, events=("end",), resolve_entities=False, no_network=True,
                    load_dtd=False, huge_tree=False, schema=mets_schema()):
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
        except etree.XMLSyntaxError as exc:
            return [e.message for e in exc.error_log if e.domain_name == "SCHEMASV"]
    return []
