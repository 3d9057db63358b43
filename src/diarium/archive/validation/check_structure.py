"""CSIPSTR1-CSIPSTR16: the folder layout of the package."""

from __future__ import annotations

from .context import Context

_OPTIONAL_ROOT = {"metadata", "representations", "schemas", "documentation"}
_OPTIONAL_REPRESENTATION = {"data", "metadata", "schemas", "documentation"}


def find_root_mets(ctx: Context) -> str | None:
    """CSIPSTR4: the package METS is exactly 'METS.xml' in the root folder."""
    if ctx.package.exists("METS.xml"):
        return "METS.xml"
    _, files = ctx.package.children("")
    near = sorted(f for f in files if f.lower().endswith(".xml"))
    detail = f" (hittade: {', '.join(near)})" if near else ""
    detail_en = f" (found: {', '.join(near)})" if near else ""
    ctx.error("CSIPSTR4", f"Rotmappen saknar filen METS.xml{detail}",
              f"The root folder has no file named METS.xml{detail_en}", ctx.package.name)
    return None


def check_structure(ctx: Context, objid: str | None) -> None:
    package = ctx.package
    if objid and objid != package.name:
        ctx.warn("CSIPSTR2", f"Rotmappen '{package.name}' har inte paketets ID '{objid}'",
                 f"The root folder '{package.name}' is not named with the package ID "
                 f"'{objid}'", package.name)
    folders, _ = package.children("")
    if "metadata" not in folders:
        ctx.warn("CSIPSTR5", "Rotmappen saknar mappen 'metadata'",
                 "The root folder has no 'metadata' folder", package.name)
    else:
        _metadata_subfolders(ctx, "metadata")
    if "representations" not in folders:
        ctx.warn("CSIPSTR9", "Rotmappen saknar mappen 'representations'",
                 "The root folder has no 'representations' folder", package.name)
    else:
        _representations(ctx)
    if "schemas" not in folders:
        ctx.info("CSIPSTR15", "Rotmappen saknar mappen 'schemas' för XML-scheman",
                 "The root folder has no 'schemas' folder for XML schemas", package.name)
    for extra in sorted(folders - _OPTIONAL_ROOT):
        ctx.info("CSIPSTR14", f"Ytterligare mapp i rotmappen: {extra}",
                 f"Additional folder in the root folder: {extra}", extra)


def _metadata_subfolders(ctx: Context, base: str) -> None:
    folders, files = ctx.package.children(base)
    if files and not folders:
        ctx.add("CSIPSTR6", f"{base} har filer men inga undermappar (preservation, descriptive)",
                 f"{base} has files but no sub-folders (preservation, descriptive)", base)


def _representations(ctx: Context) -> None:
    folders, _ = ctx.package.children("representations")
    if not folders:
        ctx.warn("CSIPSTR10", "Mappen 'representations' har ingen mapp per representation",
                 "The 'representations' folder has no folder per representation",
                 "representations")
    for name in sorted(folders):
        base = f"representations/{name}"
        subfolders, files = ctx.package.children(base)
        if "data" not in subfolders:
            ctx.warn("CSIPSTR11", f"Representationen {name} saknar mappen 'data'",
                     f"The representation {name} has no 'data' folder", base)
        if "METS.xml" not in files:
            ctx.warn("CSIPSTR12", f"Representationen {name} saknar METS.xml",
                     f"The representation {name} has no METS.xml", base)
        if "metadata" not in subfolders:
            ctx.info("CSIPSTR13", f"Representationen {name} saknar mappen 'metadata'",
                     f"The representation {name} has no 'metadata' folder", base)
        for extra in sorted(subfolders - _OPTIONAL_REPRESENTATION):
            ctx.info("CSIPSTR14", f"Ytterligare mapp i representationen {name}: {extra}",
                     f"Additional folder in the representation {name}: {extra}", base)
