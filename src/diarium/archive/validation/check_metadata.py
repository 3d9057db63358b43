"""CSIP17-CSIP57: descriptive (dmdSec) and administrative (amdSec) metadata, and whether the
files in the metadata folders are described by them."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from .context import Context
from .metadata_xml import ErmsDocument, is_erms_type, summarise
from .mets import HREF, Element, MetsDocument, m
from .requirements import MDREF_REQUIREMENTS
from .vocabularies import STATUS

_SECTIONS = {  # amdSec child -> (status requirement, mdRef requirement)
    "digiprovMD": ("CSIP34", "CSIP35"),
    "rightsMD": ("CSIP47", "CSIP48"),
}


def check_metadata(ctx: Context, doc: MetsDocument) -> None:
    for section in doc.children(doc.root, "dmdSec"):
        where = doc.at(section, "dmdSec")
        if not section.get("CREATED"):
            ctx.error("CSIP19", "dmdSec/@CREATED saknas", "dmdSec/@CREATED is missing", where)
        _check_status(ctx, section.get("STATUS"), "CSIP20", "dmdSec", where)
        _check_mdref(ctx, doc, section, "dmdSec", "CSIP21")
    amd_sections = doc.children(doc.root, "amdSec")
    if len(amd_sections) > 1:
        ctx.warn(
            "CSIP31",
            "All administrativ metadata bör finnas i ett enda amdSec",
            "All administrative metadata should be in a single amdSec",
            doc.at(amd_sections[1], "amdSec"),
        )
    for amd in amd_sections:
        for kind, (status_requirement, mdref_requirement) in _SECTIONS.items():
            for section in doc.children(amd, kind):
                where = doc.at(section, f"amdSec/{kind}")
                _check_status(ctx, section.get("STATUS"), status_requirement, kind, where)
                _check_mdref(ctx, doc, section, kind, mdref_requirement)


def _check_status(
    ctx: Context, status: str | None, requirement: str, kind: str, where: str
) -> None:
    if status is None:
        ctx.warn(requirement, f"{kind}/@STATUS saknas", f"{kind}/@STATUS is missing", where)
    elif status not in STATUS:
        ctx.error(
            requirement,
            f"{kind}/@STATUS '{status}' ska vara CURRENT eller SUPERSEDED",
            f"{kind}/@STATUS '{status}' must be CURRENT or SUPERSEDED",
            where,
        )


def _check_mdref(
    ctx: Context, doc: MetsDocument, section: Element, kind: str, requirement: str
) -> None:
    reference = section.find(m("mdRef"))
    if kind == "dmdSec":
        _note_erms(ctx, doc, section, reference)
    if reference is None:
        ctx.warn(
            requirement,
            f"{kind} saknar mdRef (en referens till metadatafilen)",
            f"{kind} has no mdRef (a reference to the metadata file)",
            doc.at(section, kind),
        )
        return
    ctx.check_reference(doc, reference, reference, MDREF_REQUIREMENTS[kind], kind, f"{kind}/mdRef")


def _note_erms(ctx: Context, doc: MetsDocument, section: Element, reference: Element | None
               ) -> None:
    """Remember the CITS ERMS documents a dmdSec declares (read by metadata_xml), by
    reference or inline, whatever their file name."""
    if reference is not None and is_erms_type(reference):
        href = reference.get(HREF) or ""
        joined = posixpath.normpath(posixpath.join(doc.folder, unquote(href)))
        path = ctx.package.case_insensitive(joined) or joined
        ctx.erms.setdefault(path, None)
    wrap = section.find(m("mdWrap"))
    if wrap is not None and is_erms_type(wrap):
        where = doc.at(section, f"dmdSec[@ID='{section.get('ID') or ''}']/mdWrap")
        content = wrap.find(f"{m('xmlData')}/*")
        ctx.erms[where] = (summarise(content, where) if content is not None
                           else ErmsDocument(where, "mdWrap holds no XML data"))


def _scopes(ctx: Context, doc: MetsDocument) -> list[str]:
    """Folders whose metadata `doc` describes: its own, and for the package METS also the
    representations that have no METS.xml of their own."""
    if not doc.is_package:
        return [doc.folder]
    described = {d.folder for d in ctx.documents if not d.is_package}
    subdirs, _ = ctx.package.children("representations")
    return [""] + [
        f"representations/{r}" for r in sorted(subdirs) if f"representations/{r}" not in described
    ]


def check_metadata_folders(ctx: Context) -> None:
    """After every METS document is read: files in metadata/descriptive and
    metadata/preservation must be described by dmdSec / amdSec."""
    for doc in ctx.documents:
        descriptive, preservation = [], []
        for scope in _scopes(ctx, doc):
            base = f"{scope}/metadata" if scope else "metadata"
            descriptive += ctx.package.files_under(f"{base}/descriptive")
            preservation += ctx.package.files_under(f"{base}/preservation")
        dmd = doc.children(doc.root, "dmdSec")
        amd = [c for a in doc.children(doc.root, "amdSec") for c in a]
        digiprov = [c for c in amd if c.tag == m("digiprovMD")]
        where = doc.at(doc.root, "mets")
        _described(ctx, descriptive, "dmdSec", dmd, "CSIP17", "CSIP21", where)
        if preservation and not amd:
            ctx.error(
                "CSIP31",
                "metadata/preservation innehåller filer men METS.xml saknar amdSec",
                "metadata/preservation has files but METS.xml has no amdSec",
                where,
            )
        if preservation and not digiprov:
            ctx.error(
                "CSIP32",
                "metadata/preservation innehåller filer men METS.xml saknar digiprovMD",
                "metadata/preservation has files but METS.xml has no digiprovMD",
                where,
            )
        if preservation and amd:
            _unreferenced(ctx, preservation, {"digiprovMD", "rightsMD"}, "CSIP31", where)
        if doc.is_package:
            _recommendations(ctx, bool(amd), bool(digiprov), bool(preservation), where)


def _recommendations(
    ctx: Context, amd: bool, digiprov: bool, preservation: bool, where: str
) -> None:
    """CSIP31/CSIP32 (SHOULD): preservation metadata in amdSec/digiprovMD, as files."""
    if not amd:
        ctx.warn(
            "CSIP31",
            "METS.xml har ingen administrativ metadata (amdSec)",
            "METS.xml has no administrative metadata (amdSec)",
            where,
        )
    elif not preservation:
        ctx.warn(
            "CSIP31",
            "amdSec finns men metadata/preservation innehåller inga filer",
            "amdSec exists but metadata/preservation has no files",
            where,
        )
    if not digiprov:
        ctx.warn(
            "CSIP32",
            "METS.xml har ingen proveniensmetadata (digiprovMD)",
            "METS.xml has no digital provenance metadata (digiprovMD)",
            where,
        )
    elif not preservation:
        ctx.warn(
            "CSIP32",
            "digiprovMD finns men metadata/preservation innehåller inga filer",
            "digiprovMD exists but metadata/preservation has no files",
            where,
        )


def _described(
    ctx: Context,
    files: list[str],
    kind: str,
    sections: list,
    missing: str,
    unreferenced: str,
    where: str,
) -> None:
    if not files:
        return
    if not sections:
        ctx.error(
            missing,
            f"metadata/descriptive innehåller filer men METS.xml saknar {kind}",
            f"metadata/descriptive has files but METS.xml has no {kind}",
            where,
        )
        return
    _unreferenced(ctx, files, {kind}, unreferenced, where)


def _unreferenced(
    ctx: Context, files: list[str], kinds: set[str], requirement: str, where: str
) -> None:
    for path in sorted(files):
        if not ctx.referenced.get(path, set()) & kinds:
            ctx.error(
                requirement,
                f"Metadatafilen {path} refereras inte från METS.xml "
                f"({' eller '.join(sorted(kinds))})",
                f"The metadata file {path} is not referenced from METS.xml "
                f"({' or '.join(sorted(kinds))})",
                where,
            )
