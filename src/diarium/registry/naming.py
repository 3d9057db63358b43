"""The naming rules of the plan applied to registered documents: the title a new document
gets from its record type's rule, and the file names its files carry when they leave Diarium
(downloads, the archive package).

A file's name outside Diarium is the rule's title (or, without a rule, the name it was
uploaded with) with the original's extension, made safe on every common file system and
unique within its document ("namn (2).pdf"); a download is also led by the document's
number, which makes it unique within the case. The name is worked out again each time from
the registration, so it is the same in a download today and in the archive package years
later."""

from __future__ import annotations

from diarium.documents import naming
from diarium.registry.models import Direction, Document, DocumentFile

DIRECTION_WORDS = {
    Direction.INCOMING: "inkommande",
    Direction.OUTGOING: "utgående",
    Direction.INTERNAL: "upprättad",
}


def rule_of(document: Document) -> str:
    """The naming rule of the plan rule the document was registered under ("" for none)."""
    rule = document.rule
    return rule.naming_rule.strip() if rule is not None else ""


def values_for(document: Document) -> dict[str, str]:
    """What each of naming.FIELDS is for this document (its case and rule loaded)."""
    case = document.case
    return {
        "diarienummer": document.document_number,
        "ärendenummer": case.diary_number,
        "handlingstyp": document.rule.name if document.rule is not None else "",
        "datum": document.document_date.isoformat() if document.document_date else "",
        "riktning": DIRECTION_WORDS.get(document.direction, ""),
        "motpart": document.sender_recipient,
        "myndighet": case.authority.code,
    }


def proposed_title(document: Document) -> str:
    """The title the record type's naming rule gives the document ("" without a rule)."""
    rule = rule_of(document)
    return naming.apply_rule(rule, values_for(document)) if rule else ""


def _stem_and_extension(original_name: str) -> tuple[str, str]:
    stem, dot, extension = original_name.rpartition(".")
    return (stem, extension) if dot and stem else (original_name, "")


def file_names(document: Document) -> dict[object, str]:
    """File id -> the file's name within its document (as in the document's folder of an
    archive package): the rule's title (later files: the title and their uploaded name),
    else the uploaded name, with the original's extension, portable, and unique within the
    document."""
    title = proposed_title(document)
    names: dict[object, str] = {}
    for index, file in enumerate(document.files.order_by("added_at", "id")):
        stem, extension = _stem_and_extension(file.original_name)
        # The first file is the document; later ones (an attachment, the signed copy, a
        # validation report) keep their own name after the title, so they stay told apart.
        base = title if index == 0 else f"{title} - {stem}" if title else stem
        names[file.pk] = naming.unique_in(naming.safe_file_name(base or stem, extension),
                                          names.values())
    return names


def file_name(file: DocumentFile) -> str:
    """The name a download of the file gets: its name within the document, led by the
    document's number unless the rule put it first. Unique within the case by
    construction, so it depends on nothing but the file's own document (a name never
    tells of another, perhaps secret, document's files)."""
    document = file.document
    name = file_names(document)[file.pk]
    number = naming.safe_file_name(document.document_number)
    if name.startswith(f"{number} "):
        return name
    return naming.safe_file_name(f"{number} {name}")


def rendition_name(file: DocumentFile) -> str:
    """The name of the file's PDF/A rendition: the file's own name, as a PDF."""
    stem, _extension = _stem_and_extension(file_name(file))
    return naming.safe_file_name(f"{stem} (PDF-A)", "pdf")
