"""CSIP80-CSIP119: the CSIP structural map.

How the package METS refers to its representations (CSIP108, CSIP101): a representation
with a METS.xml of its own is a division LABEL='Representations/<name>' whose mptr points
at that METS.xml and whose mptr/@xlink:title is the ID of the representation's fileGrp
(the group that lists the METS.xml). Only content listed in the package METS itself (no
representation METS) is the single div[@LABEL='Representations'] with one fptr per file
group (CSIP101, CSIP104, CSIP119)."""

from __future__ import annotations

from .check_files import representation_mets_href, use_kind
from .context import Context
from .mets import HREF, XLINK_TYPE, Element, MetsDocument, id_list, m

XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"

_ADMINISTRATIVE = {m(t) for t in ("techMD", "rightsMD", "sourceMD", "digiprovMD")}
# division label -> (division requirement, identifier requirement, file reference
# requirements, fileGrp/@USE kind it points at)
_DIVISIONS = {
    "Documentation": ("CSIP93", "CSIP94", ("CSIP96", "CSIP116")),
    "Schemas": ("CSIP97", "CSIP98", ("CSIP100", "CSIP118")),
    "Representations": ("CSIP101", "CSIP102", ("CSIP104", "CSIP119")),
}


def check_structmap(ctx: Context, doc: MetsDocument) -> None:
    maps = [s for s in doc.children(doc.root, "structMap") if s.get("LABEL") == "CSIP"]
    where = doc.at(doc.root, "mets")
    if len(maps) != 1:
        sv, en = (
            ("saknas", "is missing")
            if not maps
            else ("finns mer än en gång", "occurs more than once")
        )
        ctx.error(
            "CSIP80", f"structMap med LABEL='CSIP' {sv}", f"structMap with LABEL='CSIP' {en}", where
        )
        if not maps:
            return
    smap = maps[0]
    where = doc.at(smap, "structMap[@LABEL='CSIP']")
    if smap.get("TYPE") != "PHYSICAL":
        ctx.error(
            "CSIP81",
            f"structMap/@TYPE måste vara 'PHYSICAL', inte '{smap.get('TYPE')}'",
            f"structMap/@TYPE must be 'PHYSICAL', not '{smap.get('TYPE')}'",
            where,
        )
    if not smap.get("ID"):
        ctx.error("CSIP83", "structMap/@ID saknas", "structMap/@ID is missing", where)
    divisions = doc.children(smap, "div")
    if len(divisions) != 1:
        ctx.error(
            "CSIP84",
            "structMap måste ha exakt en huvudindelning (div)",
            "structMap must have exactly one main division (div)",
            where,
        )
        if not divisions:
            return
    main = divisions[0]
    where = doc.at(main, "structMap/div")
    if not main.get("ID"):
        ctx.error("CSIP85", "Huvudindelningen saknar ID", "The main division has no ID", where)
    label, objid = main.get("LABEL"), doc.root.get("OBJID")
    if label is None:
        ctx.warn(
            "CSIP86",
            "Huvudindelningen saknar LABEL (krav i CSIP 2.0, inte i 2.1)",
            "The main division has no LABEL (required by CSIP 2.0, not by 2.1)",
            where,
        )
    elif objid is not None and label != objid:
        ctx.warn(
            "CSIP86",
            f"Huvudindelningens LABEL '{label}' är inte mets/@OBJID '{objid}' "
            "(krav i CSIP 2.0, inte i 2.1)",
            f"The main division's LABEL '{label}' is not "
            f"mets/@OBJID '{objid}' (required by CSIP 2.0, not by 2.1)",
            where,
        )
    children = doc.children(main, "div")
    _check_metadata_division(ctx, doc, children, where)
    referenced = {
        f
        for d in main.iter(m("div"))
        for p in doc.children(d, "fptr")
        for f in id_list(p.get("FILEID"))
    }
    groups = {
        g.get("ID"): g
        for s in doc.children(doc.root, "fileSec")
        for g in doc.children(s, "fileGrp")
        if g.get("ID")
    }
    pointed = {g: groups.pop(g) for g in list(groups) if _lists_representation_mets(doc, groups[g])}
    for name, requirements in _DIVISIONS.items():
        matching = [d for d in children if (d.get("LABEL") or "").casefold() == name.casefold()]
        _check_division(ctx, doc, name, matching, requirements, groups, referenced, where)
    titles = _check_representation_divisions(ctx, doc, children, pointed)
    _check_pointed_groups(ctx, doc, pointed, titles | referenced, where)


def _lists_representation_mets(doc: MetsDocument, group: Element) -> bool:
    """A package METS fileGrp with USE 'Representations/...' that lists a representation's
    METS.xml: the structMap refers to it by mptr/@xlink:title (CSIP108), not by fptr. (Its
    file elements were read and dropped: what they listed is in doc.groups.)"""
    if not doc.is_package or use_kind(group.get("USE")) != "Representations":
        return False
    for nested in group.iter(m("fileGrp")):
        info = doc.groups.get(nested)
        if info is not None and info.lists_representation_mets:
            return True
        if any(representation_mets_href(locator.get(HREF))
               for locator in nested.iter(m("FLocat"))):
            return True
    return False


def _check_pointed_groups(ctx: Context, doc: MetsDocument, pointed: dict, referenced: set[str],
                          where: str) -> None:
    for group_id, group in pointed.items():
        if group_id not in referenced:
            ctx.error("CSIP108", f"fileGrp '{group_id}' (USE='{group.get('USE')}') listar en "
                      "representations METS.xml men ingen representationsindelnings "
                      "mptr/@xlink:title anger den", f"fileGrp '{group_id}' "
                      f"(USE='{group.get('USE')}') lists a representation METS.xml but no "
                      "representation division's mptr/@xlink:title names it", where)


def _check_metadata_division(
    ctx: Context, doc: MetsDocument, children: list[Element], where: str
) -> None:
    found = [d for d in children if (d.get("LABEL") or "").casefold() == "metadata"]
    if len(found) != 1:
        sv, en = (
            ("saknas", "is missing")
            if not found
            else ("finns mer än en gång", "occurs more than once")
        )
        for requirement in ("CSIP88", "CSIP90"):
            ctx.error(
                requirement,
                f"div med LABEL='Metadata' {sv}",
                f"div with LABEL='Metadata' {en}",
                where,
            )
        if not found:
            return
    division = found[0]
    where = doc.at(division, "div[@LABEL='Metadata']")
    if not division.get("ID"):
        ctx.error(
            "CSIP89", "Metadataindelningen saknar ID", "The metadata division has no ID", where
        )
    if division.get("LABEL") != "Metadata":
        ctx.error(
            "CSIP90",
            f"LABEL ska vara 'Metadata', inte '{division.get('LABEL')}'",
            f"LABEL must be 'Metadata', not '{division.get('LABEL')}'",
            where,
        )
    administrative = {
        e.get("ID")
        for a in doc.children(doc.root, "amdSec")
        for e in a
        if e.tag in _ADMINISTRATIVE and e.get("STATUS") != "SUPERSEDED"
    }
    descriptive = {
        d.get("ID") for d in doc.children(doc.root, "dmdSec") if d.get("STATUS") != "SUPERSEDED"
    }
    _check_id_list(ctx, division.get("ADMID"), "ADMID", administrative, "CSIP91", "amdSec", where)
    _check_id_list(ctx, division.get("DMDID"), "DMDID", descriptive, "CSIP92", "dmdSec", where)


def _check_id_list(
    ctx: Context,
    value: str | None,
    attribute: str,
    expected: set,
    requirement,
    section: str,
    where: str,
) -> None:
    expected.discard(None)
    if not expected:
        return
    if value is None:
        ctx.error(
            requirement,
            f"Metadataindelningen saknar @{attribute} (referenser till aktuella {section})",
            f"The metadata division has no @{attribute} "
            f"(references to the current {section} sections)",
            where,
        )
        return
    listed = set(id_list(value))
    for missing in sorted(expected - listed):
        ctx.error(
            requirement,
            f"@{attribute} saknar {section}-ID '{missing}'",
            f"@{attribute} lacks the {section} ID '{missing}'",
            where,
        )
    for extra in sorted(listed - expected):
        ctx.error(
            requirement,
            f"@{attribute} nämner '{extra}', som inte är ett aktuellt {section}-ID",
            f"@{attribute} names '{extra}', which is not a current {section} ID",
            where,
        )


def _check_division(
    ctx: Context,
    doc: MetsDocument,
    name: str,
    matching: list[Element],
    requirements: tuple,
    groups: dict,
    referenced: set[str],
    where: str,
) -> None:
    division_requirement, id_requirement, file_requirements = requirements
    described = any(use_kind(g.get("USE")) == name for g in groups.values())
    # CSIP101: the Representations division exists "when no representations are present",
    # to describe content the package METS lists itself; not for representation METS.
    if not matching and (described or (doc.is_package and name != "Representations")):
        ctx.warn(
            division_requirement,
            f"div med LABEL='{name}' saknas",
            f"div with LABEL='{name}' is missing",
            where,
        )
    elif len(matching) > 1:
        ctx.error(
            division_requirement,
            f"div med LABEL='{name}' finns mer än en gång",
            f"div with LABEL='{name}' occurs more than once",
            where,
        )
    for division in matching:
        at = doc.at(division, f"div[@LABEL='{name}']")
        if not division.get("ID"):
            ctx.error(id_requirement, f"div '{name}' saknar ID", f"div '{name}' has no ID", at)
        for pointer in doc.children(division, "fptr"):
            for file_id in id_list(pointer.get("FILEID")):
                group = groups.get(file_id)
                if group is None or use_kind(group.get("USE")) != name:
                    for requirement in file_requirements:
                        ctx.error(
                            requirement,
                            f"fptr '{file_id}' pekar inte på en fileGrp med USE='{name}'",
                            f"fptr '{file_id}' does not point at a fileGrp with USE='{name}'",
                            at,
                        )
    for group_id, group in groups.items():
        if use_kind(group.get("USE")) == name and group_id not in referenced:
            for requirement in file_requirements:
                ctx.error(
                    requirement,
                    f"fileGrp '{group_id}' (USE='{group.get('USE')}') "
                    "refereras inte från structMap",
                    f"fileGrp '{group_id}' "
                    f"(USE='{group.get('USE')}') is not referenced from the structMap",
                    where,
                )


def _check_representation_divisions(
    ctx: Context, doc: MetsDocument, children: list[Element], pointed: dict
) -> set[str]:
    """CSIP105-CSIP112; returns the fileGrp IDs the divisions' mptr/@xlink:title name."""
    titles: set[str] = set()
    if not doc.is_package:
        return titles
    by_label = {(d.get("LABEL") or "").casefold(): d for d in children}
    for division in children:
        label = division.get("LABEL") or ""
        if not label.casefold().startswith("representations/"):
            continue
        at = doc.at(division, f"div[@LABEL='{label}']")
        if not division.get("ID"):
            ctx.error("CSIP106", f"div '{label}' saknar ID", f"div '{label}' has no ID", at)
        folder = "representations/" + label.split("/", 1)[1]
        if not ctx.package.is_dir(folder) and ctx.package.case_insensitive(folder) is None:
            ctx.error(
                "CSIP107",
                f"div-etiketten '{label}' motsvarar ingen representationsmapp",
                f"The div label '{label}' matches no representation folder",
                at,
            )
        titles |= _check_pointers(ctx, doc, division, label, at, pointed)
    subdirs, _ = ctx.package.children("representations")
    for name in sorted(subdirs):
        if (
            ctx.package.exists(f"representations/{name}/METS.xml")
            and f"representations/{name}".casefold() not in by_label
        ):
            ctx.warn(
                "CSIP105",
                f"Representationen {name} har METS.xml men ingen div med "
                f"LABEL='Representations/{name}'",
                f"The representation {name} has a "
                f"METS.xml but no div with LABEL='Representations/{name}'",
                doc.at(doc.root, "structMap"),
            )
    return titles


def _check_pointers(
    ctx: Context, doc: MetsDocument, division: Element, label: str, at: str, pointed: dict
) -> set[str]:
    pointers = doc.children(division, "mptr")
    own_mets = ctx.package.case_insensitive(f"{label.replace('R', 'r', 1)}/METS.xml")
    if len(pointers) > 1:
        ctx.error("CSIP109", f"div '{label}' har mer än en mptr",
                  f"div '{label}' has more than one mptr", at)
    elif not pointers and own_mets is not None:  # CSIP105: divisions for representation METS
        ctx.error("CSIP109", f"div '{label}' saknar mptr till representationens METS.xml",
                  f"div '{label}' has no mptr to the representation's METS.xml", at)
    titles = {p.get(XLINK_TITLE) for p in pointers if p.get(XLINK_TITLE)}
    for title in sorted(titles - set(pointed)):
        ctx.error("CSIP108", f"mptr/@xlink:title '{title}' är inte ID för en fileGrp som "
                  "listar en representations METS.xml", f"mptr/@xlink:title '{title}' is not "
                  "the ID of a fileGrp that lists a representation METS.xml", at)
    if pointers and not titles:
        ctx.error("CSIP108", f"div '{label}': mptr saknar xlink:title (ID för "
                  "representationens fileGrp)", f"div '{label}': the mptr has no xlink:title "
                  "(the ID of the representation's fileGrp)", at)
    for pointer in pointers:
        if pointer.get("LOCTYPE") != "URL":
            ctx.error(
                "CSIP112", "mptr/@LOCTYPE måste vara 'URL'", "mptr/@LOCTYPE must be 'URL'", at
            )
        if pointer.get(XLINK_TYPE) != "simple":
            ctx.error(
                "CSIP111",
                "mptr/@xlink:type måste vara 'simple'",
                "mptr/@xlink:type must be 'simple'",
                at,
            )
        href = pointer.get(HREF)
        if href is None:
            ctx.error("CSIP110", "mptr/@xlink:href saknas", "mptr/@xlink:href is missing", at)
        else:
            ctx.resolve(doc, href, "CSIP110", at)
    return titles
