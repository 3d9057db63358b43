"""A submission agreement's record types against the package's CITS ERMS records.

The rule (fail closed): an agreement that lists record types admits a package only when
every ERMS document the validator found (referenced from a dmdSec of the ERMS type, inline,
or a metadata XML whose root is an ERMS document, whatever its name) could be read with the
safe parser and every record in it has a record type the agreement lists. A package with no
ERMS document at all gives no record type to check and is refused too. An agreement that
lists no record types admits any."""

from __future__ import annotations

from diarium.archive.validation import Finding, Report, Severity
from diarium.archive.validation.metadata_xml import ErmsDocument

REQUIREMENT = "AGREEMENT"
MAX_LISTED = 10


def record_type_findings(report: Report, reference: str, allowed: set[str]) -> list[Finding]:
    """ERROR findings for what an agreement admitting the record types `allowed` (compared
    without letter case) does not admit; [] when it admits everything."""
    if not allowed:
        return []
    folded = {name.casefold() for name in allowed}
    if not report.erms:
        return [_refusal(
            f"Leveransöverenskommelsen {reference} tar bara emot handlingstyperna "
            f"{_listed(allowed)}, men paketet har ingen CITS ERMS-metadata som anger "
            "handlingstyper",
            f"Submission agreement {reference} admits only the record types "
            f"{_listed(allowed)}, but the package has no CITS ERMS metadata naming record "
            "types", "METS.xml")]
    return [finding for document in report.erms
            for finding in _document_findings(document, reference, folded)]


def _document_findings(document: ErmsDocument, reference: str, folded: set[str]
                       ) -> list[Finding]:
    if document.problem:
        return [_refusal(
            f"ERMS-dokumentet {document.path} kan inte läsas, så leveransöverenskommelsen "
            f"{reference}s handlingstyper kan inte kontrolleras: {document.problem}",
            f"The ERMS document {document.path} cannot be read, so the record types of "
            f"submission agreement {reference} cannot be checked: {document.problem}",
            document.path)]
    refused = sorted(t for t in document.record_types if t.casefold() not in folded)
    if not refused:
        return []
    untyped = document.record_types.get("", 0)
    named = [t for t in refused if t]
    sv = [f"handlingstyperna {_listed(named)}"] if named else []
    en = [f"the record types {_listed(named)}"] if named else []
    if untyped:
        sv.append(f"{untyped} handling(ar) utan handlingstyp")
        en.append(f"{untyped} record(s) without a record type")
    return [_refusal(
        f"Leveransöverenskommelsen {reference} omfattar inte {' och '.join(sv)} "
        f"({document.path})",
        f"Submission agreement {reference} does not cover {' and '.join(en)} "
        f"({document.path})", document.path)]


def _listed(names) -> str:
    names = sorted(names)
    more = len(names) - MAX_LISTED
    return ", ".join(names[:MAX_LISTED]) + (f" (+{more})" if more > 0 else "")


def _refusal(sv: str, en: str, location: str) -> Finding:
    return Finding(REQUIREMENT, Severity.ERROR, sv, en, location)
