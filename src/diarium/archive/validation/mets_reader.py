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

Schema errors found while streaming carry no line numbers (libxml2 validates the parser's
events, not a tree). When there are any and the document is small (SMALL_BYTES), it is parsed
once more as a whole tree so that every schema error names its line, as before."""

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
from .xmlsafe import Parsed, parse_untrusted, unsafe_document

SMALL_BYTES = 8 << 20  # a METS this large or smaller is re-read whole for schema error lines
FILE = m("file")
GROUP = m("fileGrp")
LOCATOR = m("FLocat")


def read_mets(ctx: Context, path: str, folder: str,
              on_root: Callable[[etree._Element], None] | None = None
              ) -> MetsDocument | None:
    """The METS document at `path` with its file elements checked and dropped; None (with a
    finding) when it is not well-formed or not safe to use. `on_root` is called with the root
    element before the first file is checked (to choose the rule set from its profile)."""
    document = MetsDocument(path, folder, None)
    previous = ctx.document
    aside: Context | None = None
    schema_errors: list[str] = []
    with ctx.package.open_limited(path, LIMITS.max_mets_bytes) as stream:
        events = etree.iterparse(stream, events=("end",), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False,
                                 schema=mets_schema())
        try:
            for _event, element in events:
                if aside is None:
                    root = element.getroottree().getroot()
                    document.tree = root.getroottree()
                    if on_root is not None:
                        on_root(root)
                    ctx.document = document
                    aside = dataclasses.replace(ctx, expected=[], referenced={}, premis=[])
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
            errors = list(exc.error_log)
            if aside is None or any(e.domain_name != "SCHEMASV" for e in errors):
                ctx.findings.extend(_not_well_formed(ctx, path))
                return None
            schema_errors = [e.message for e in errors]
        finally:
            ctx.document = previous
    if aside is None:  # an empty document cannot get here: the parser refuses it
        return None
    problem = unsafe_document(document.tree, path)
    if problem is not None:
        ctx.findings.append(problem)
        return None
    _merge(ctx, aside)
    if schema_errors:
        ctx.findings.extend(_schema_findings(ctx, path, schema_errors))
    else:
        document.schema_valid = True
    return document


_XLINK = "http://www.w3.org/1999/xlink"


def _merge(ctx: Context, aside: Context) -> None:
    ctx.expected.extend(aside.expected)
    for path, kinds in aside.referenced.items():
        for kind in kinds:
            ctx.add_reference(path, kind)
    ctx.premis.extend(aside.premis)


def _whole(ctx: Context, path: str) -> Parsed:
    with ctx.package.open_limited(path, LIMITS.max_mets_bytes) as stream:
        return parse_untrusted(stream, path)


def _not_well_formed(ctx: Context, path: str) -> list[Finding]:
    """The finding of a document the incremental parser refused: the one the whole-document
    parser gives every XML document (xmlsafe), for the same message as before."""
    parsed = _whole(ctx, path)
    return parsed.findings or [make(
        "METS-XML", "Dokumentet är inte välformad XML", "The document is not well-formed XML",
        path)]


def _schema_findings(ctx: Context, path: str, messages: list[str]) -> list[Finding]:
    member = ctx.package.files.get(path)
    if member is not None and member.size <= SMALL_BYTES:
        parsed = _whole(ctx, path)
        if parsed.tree is not None:
            return schema_findings(mets_schema(), parsed.tree, "METS-XSD", path)
    return [make("METS-XSD", f"Schemafel: {message}", f"Schema error: {message}", path)
            for message in messages[:MAX_SCHEMA_ERRORS]]
