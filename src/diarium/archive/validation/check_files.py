"""CSIP58-CSIP79, CSIP113, CSIP114: the file section and every file it references.

Each file element is checked by `check_file` while the document is read (mets_reader), in
the order of the document; `check_file_section` checks the file section and its groups
afterwards and adds each group's file findings after the group's own, as before."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from .context import Context
from .mets import Element, MetsDocument, csip, id_list, m
from .requirements import MDREF_REQUIREMENTS
from .vocabularies import CONTENT_INFORMATION_TYPES, FILE_GROUP_LABELS

_GROUPS = {  # required file group -> (requirement, package folder that needs it)
    "Documentation": ("CSIP60", "documentation"),
    "Schemas": ("CSIP113", "schemas"),
    "Representations": ("CSIP114", "representations"),
}
_ADMINISTRATIVE = ("techMD", "rightsMD", "sourceMD", "digiprovMD")


def use_kind(use: str | None, representation: bool = False) -> str:
    """The vocabulary label a fileGrp/@USE starts with ("" when none). A representation's
    METS may also call its content "Data" (as E-ARK's reference implementation does)."""
    head = (use or "").split("/", 1)[0].casefold()
    labels = (*FILE_GROUP_LABELS, "Data") if representation else FILE_GROUP_LABELS
    return next((label for label in labels if label.casefold() == head), "")


def check_file_section(ctx: Context, doc: MetsDocument) -> None:
    sections = doc.children(doc.root, "fileSec")
    where = doc.at(doc.root, "mets")
    if not sections:
        ctx.warn("CSIP58", "METS.xml saknar fileSec", "METS.xml has no fileSec", where)
        return
    if len(sections) > 1:
        ctx.warn(
            "CSIP58",
            "METS.xml ska ha en enda fileSec",
            "METS.xml should have a single fileSec",
            where,
        )
    section = sections[0]
    if not section.get("ID"):
        ctx.error(
            "CSIP59", "fileSec/@ID saknas", "fileSec/@ID is missing", doc.at(section, "fileSec")
        )
    groups = [g for s in sections for g in doc.children(s, "fileGrp")]  # top level
    administrative = {
        e.get("ID")
        for a in doc.children(doc.root, "amdSec")
        for e in a
        if e.tag in {m(t) for t in _ADMINISTRATIVE}
    }
    for group in groups:
        _check_group(ctx, doc, group, administrative)
    if doc.is_package:
        kinds = {use_kind(g.get("USE")) for g in groups}
        for kind, (requirement, folder) in _GROUPS.items():
            if kind in kinds:
                continue
            if ctx.package.has_files_under(folder):
                ctx.error(
                    requirement,
                    f"Mappen {folder} har filer men det finns ingen fileGrp med USE='{kind}'",
                    f"The folder {folder} has files but there is no fileGrp with USE='{kind}'",
                    doc.at(section, "fileSec"),
                )
            else:
                ctx.warn(
                    requirement,
                    f"Det finns ingen fileGrp med USE='{kind}'",
                    f"There is no fileGrp with USE='{kind}'",
                    doc.at(section, "fileSec"),
                )


def _check_group(ctx: Context, doc: MetsDocument, group: Element, administrative: set[str]) -> None:
    use = group.get("USE")
    where = doc.at(group, f"fileGrp[@USE='{use or ''}']")
    if not group.get("ID"):
        ctx.error("CSIP65", "fileGrp/@ID saknas", "fileGrp/@ID is missing", where)
    if use is None:
        ctx.error("CSIP64", "fileGrp/@USE saknas", "fileGrp/@USE is missing", where)
    elif not use_kind(use, not doc.is_package):
        ctx.error(
            "CSIP64",
            f"fileGrp/@USE '{use}' börjar inte med ett värde ur vokabulären "
            f"({', '.join(FILE_GROUP_LABELS)})",
            f"fileGrp/@USE '{use}' does not begin "
            f"with a vocabulary value ({', '.join(FILE_GROUP_LABELS)})",
            where,
        )
    else:
        folder = posixpath.join(doc.folder, use) if doc.folder else use
        if not ctx.package.is_dir(folder) and ctx.package.case_insensitive(folder) is None:
            ctx.error(
                "CSIP64",
                f"fileGrp/@USE '{use}' motsvarar ingen mapp i paketet",
                f"fileGrp/@USE '{use}' matches no folder in the package",
                where,
            )
    for reference in id_list(group.get("ADMID")):
        if reference not in administrative:
            ctx.warn(
                "CSIP61",
                f"fileGrp/@ADMID '{reference}' är inte ID för administrativ metadata i amdSec",
                f"fileGrp/@ADMID '{reference}' is not the ID of administrative metadata in amdSec",
                where,
            )
    _check_content_information_type(ctx, group, use_kind(use) == "Representations", where)
    empty = True
    for nested in group.iter(m("fileGrp")):  # METS allows file groups inside file groups
        info = doc.groups.get(nested)
        if info is not None:  # its files, checked and dropped while the document was read
            empty = empty and not info.files
            ctx.findings.merge(info.findings)
        for file in nested.iterchildren(m("file")):  # any still in the tree
            empty = False
            check_file(ctx, doc, file)
    if empty:
        ctx.error("CSIP66", "fileGrp innehåller ingen file", "fileGrp contains no file", where)


def _check_content_information_type(
    ctx: Context, group: Element, representations: bool, where: str
) -> None:
    value = group.get(csip("CONTENTINFORMATIONTYPE"))
    other = group.get(csip("OTHERCONTENTINFORMATIONTYPE"))
    if value is None:
        if representations:  # SHOULD (0..1) in CSIP 2.1 and 2.2: a warning
            ctx.add(
                "CSIP62",
                "fileGrp för representationer saknar csip:CONTENTINFORMATIONTYPE",
                "A representations fileGrp lacks csip:CONTENTINFORMATIONTYPE",
                where,
            )
    elif value not in CONTENT_INFORMATION_TYPES:
        ctx.error(
            "CSIP62",
            f"fileGrp/@csip:CONTENTINFORMATIONTYPE '{value}' finns inte i vokabulären",
            f"fileGrp/@csip:CONTENTINFORMATIONTYPE '{value}' is not in the vocabulary",
            where,
        )
    elif value == "OTHER":
        if not (other or "").strip():
            ctx.error(
                "CSIP63",
                "CONTENTINFORMATIONTYPE är OTHER men "
                "csip:OTHERCONTENTINFORMATIONTYPE saknas eller är tomt",
                "CONTENTINFORMATIONTYPE is OTHER but csip:OTHERCONTENTINFORMATIONTYPE is "
                "missing or empty",
                where,
            )
        elif other in CONTENT_INFORMATION_TYPES:
            ctx.error(
                "CSIP63",
                f"OTHERCONTENTINFORMATIONTYPE '{other}' är ett värde ur "
                "vokabulären; använd det i CONTENTINFORMATIONTYPE",
                f"OTHERCONTENTINFORMATIONTYPE '{other}' is a vocabulary value; use it in "
                "CONTENTINFORMATIONTYPE",
                where,
            )
    if other is not None and value != "OTHER":
        ctx.error(
            "CSIP63",
            "csip:OTHERCONTENTINFORMATIONTYPE får bara användas när "
            "CONTENTINFORMATIONTYPE är OTHER",
            "csip:OTHERCONTENTINFORMATIONTYPE may only "
            "be used when CONTENTINFORMATIONTYPE is OTHER",
            where,
        )


def representation_mets_href(href: str | None) -> bool:
    """True when a file locator's href names a representation's METS.xml
    (representations/<name>/METS.xml)."""
    path = posixpath.normpath(unquote(href or "").lstrip("./") or ".")
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "representations" and \
        parts[2].casefold() == "mets.xml"


def check_file(ctx: Context, doc: MetsDocument, file: Element) -> None:
    where = doc.at(file, f"file[@ID='{file.get('ID') or ''}']")
    locators = doc.children(file, "FLocat")
    if not locators:
        ctx.error("CSIP76", "file saknar FLocat", "file has no FLocat", where)
    elif len(locators) > 1:
        ctx.error("CSIP76", "file har mer än en FLocat", "file has more than one FLocat", where)
    ctx.check_reference(
        doc,
        file,
        locators[0] if locators else None,
        MDREF_REQUIREMENTS["file"],
        "file",
        f"file[@ID='{file.get('ID') or ''}']",
    )
