"""Everything one case's export needs, read from the registry, the audit log and the plan in
one place (the exporter runs with system rights: an archive delivery holds secret content
too, marked with its restriction).

The rest of the export builds XML from this snapshot only, so that the same case in the
same state always gives the same ERMS document (idempotent re-export)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.audit.selectors import history_for_case
from diarium.documents.models import StoredFile
from diarium.documents.naming import safe_file_name, unique_in
from diarium.documents.signature_models import (
    RequestStatus,
    SignatureRequest,
    Trigger,
    ValidationReport,
)
from diarium.registry import naming
from diarium.registry.models import (
    Case,
    CaseParty,
    CaseStatus,
    Document,
    DocumentFile,
    DocumentStatus,
    InboxItem,
)
from diarium.registry.selectors import rendition_content

from ..sip.paths import portable_name

# Status changes that end a case: each starts a new version of its archive package.
FINAL_ACTIONS = ("case.closed", "case.voided")
STATUS_ACTIONS = ("case.closed", "case.reopened", "case.dormant", "case.voided")


ORIGINALS = "rep1"  # the files as registered
RENDITIONS = "rep2"  # their PDF/A renditions, where the plan says PDF/A (same paths, .pdf)


@dataclass(frozen=True)
class FileItem:
    """One content file of the package: a registered file, or (rendition set) its PDF/A
    rendition in the second representation."""

    file: DocumentFile
    path: str  # relative to representations/<representation>/data/
    representation: str = ORIGINALS
    rendition: StoredFile | None = None

    @property
    def content(self) -> StoredFile:
        return self.rendition if self.rendition is not None else self.file.content

    @property
    def mime_type(self) -> str:
        return "application/pdf" if self.rendition is not None else self.file.mime_type

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1] if self.rendition is not None \
            else self.file.original_name

    @property
    def package_path(self) -> str:
        return f"representations/{self.representation}/data/{self.path}"


@dataclass
class DocumentItem:
    document: Document
    files: list[FileItem] = field(default_factory=list)
    inbox: InboxItem | None = None  # the mail it was registered from, if any
    # Reports of the document's electronic signatures (made when the last signer signed,
    # or when a signed PDF was registered): the ERMS notes say the document is signed.
    signatures: list[ValidationReport] = field(default_factory=list)


@dataclass(frozen=True)
class Classification:
    code: str
    name: str


@dataclass
class CaseSnapshot:
    case: Case
    documents: list[DocumentItem]
    parties: list[CaseParty]
    related: list[str]  # diary numbers
    events: list[AuditEvent]
    version: int
    process_name: str = ""
    plan_description: str = ""
    keywords: list[str] = field(default_factory=list)  # the classification's upper levels

    @property
    def case_events(self) -> list[AuditEvent]:
        label = Case._meta.label_lower
        return [e for e in self.events
                if e.object_type == label and e.object_id == str(self.case.pk)]

    def last_event(self, action: str) -> AuditEvent | None:
        matching = [e for e in self.case_events if e.action == action]
        return matching[-1] if matching else None

    @cached_property
    def _document_events(self) -> dict[tuple[str, str], list[AuditEvent]]:
        label = Document._meta.label_lower
        found: dict[tuple[str, str], list[AuditEvent]] = {}
        for event in self.events:
            if event.object_type == label:
                found.setdefault((event.object_id, event.action), []).append(event)
        return found

    def document_events(self, document: Document, action: str) -> list[AuditEvent]:
        """The document's events of one kind, oldest first."""
        return self._document_events.get((str(document.pk), action), [])

    @property
    def ended_at(self) -> dt.datetime | None:
        """When the case reached the state exported: closed, or voided."""
        case = self.case
        return case.voided_at if case.status == CaseStatus.VOID else case.closed_at

    def classification_of(self, document: Document) -> Classification | None:
        """The process of the plan rule the document was registered under, else the
        case's classification (the registry classifies documents through their case)."""
        process = document.rule.process if document.rule is not None else None
        if process is not None:
            return Classification(process.code, process.name)
        code = self.case.classification_code
        return Classification(code, self.process_name or code) if code else None


def export_version(case: Case, events: list[AuditEvent] | None = None) -> int:
    """1 for the first time a case was closed (or voided), 2 after it was reopened and
    closed again, and so on."""
    if events is None:
        count = history_for_case(case.pk).filter(
            object_type=Case._meta.label_lower, object_id=str(case.pk),
            action__in=FINAL_ACTIONS).count()
    else:
        label = Case._meta.label_lower
        count = sum(1 for e in events if e.object_type == label
                    and e.object_id == str(case.pk) and e.action in FINAL_ACTIONS)
    return max(count, 1)


def is_exportable(case: Case, include_voided: bool = False) -> bool:
    return case.status == CaseStatus.CLOSED or (include_voided and case.status == CaseStatus.VOID)


def _file_items(document: Document) -> list[FileItem]:
    """The document's files under `N/`, named by the record type's naming rule or as they
    were uploaded (registry/naming.py), each name made portable for the package; and where
    the plan asks for PDF/A, their renditions at the same paths in the second
    representation (E-ARK's way of keeping an archival format beside the original)."""
    if document.status == DocumentStatus.DISPOSED:
        return []  # its files were destroyed under a decision; the registration still goes
    names = naming.file_names(document)
    items = [FileItem(stored, f"{document.number}/{portable_name(names[stored.pk])}")
             for stored in document.files.select_related("content").order_by("added_at", "id")]
    return items + (_renditions(items) if wants_pdfa(document) else [])


def wants_pdfa(document: Document) -> bool:
    """The plan rule's format names PDF/A (e.g. "PDF/A", "PDF/A-2b, XML")."""
    rule = document.rule
    return rule is not None and "pdf/a" in rule.file_format.casefold().replace(" ", "")


def _renditions(originals: list[FileItem]) -> list[FileItem]:
    """The PDF/A renditions made of the originals (an original that is itself PDF/A, or
    has no rendition yet, has none here)."""
    found: list[FileItem] = []
    for item in originals:
        rendition = rendition_content(item.file)
        if rendition is None or rendition.sha256 == item.file.content.sha256:
            continue
        folder, _slash, name = item.path.rpartition("/")
        stem = name.rsplit(".", 1)[0] if "." in name else name
        taken = [other.path.rsplit("/", 1)[-1] for other in found]
        path = f"{folder}/{unique_in(safe_file_name(stem, 'pdf'), taken)}"
        found.append(FileItem(item.file, path, RENDITIONS, rendition))
    return found


def _signature_reports(document: Document) -> list[ValidationReport]:
    completed = SignatureRequest.objects.filter(
        document=document.pk, status=RequestStatus.COMPLETED).values("current_id")
    return list(ValidationReport.objects.filter(document=document.pk).filter(
        Q(trigger=Trigger.UPLOAD) | Q(trigger=Trigger.SIGNED, content_id__in=completed))
        .order_by("made_at", "id"))


def _document_item(document: Document) -> DocumentItem:
    # A reverse one-to-one that is absent raises an AttributeError subclass.
    return DocumentItem(document, _file_items(document),
                        inbox=getattr(document, "inbox_item", None),
                        signatures=_signature_reports(document))


@dataclass(frozen=True)
class _PlanTexts:
    process_name: str = ""
    plan_description: str = ""
    keywords: tuple[str, ...] = ()


def _upper_codes(code: str) -> list[str]:
    """"3.1.2" -> ["3", "3.1"]: the classification levels above a process."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _plan_texts(case: Case) -> _PlanTexts:
    """The process name for the classification code, the plan version in force when the
    case ended, and the names of the levels above the process (as keywords)."""
    try:
        from diarium.plan import selectors as plan

        on = timezone.localdate(case.closed_at or case.voided_at or case.opened_at)
        version = plan.version_in_force(case.authority_id, on)
        if version is None:
            return _PlanTexts()
        code = case.classification_code
        wanted = [*_upper_codes(code), code] if code else []
        names = dict(plan.processes(version).filter(code__in=wanted)
                     .values_list("code", "name"))
    except Exception:  # the plan is optional for an export; never fail on it
        return _PlanTexts()
    return _PlanTexts(names.get(code, ""), f"{version.plan.name}, version {version.number}",
                      tuple(names[c] for c in _upper_codes(code) if c in names))


def snapshot(case: Case) -> CaseSnapshot:
    case = Case.objects.select_related(
        "authority__municipality", "series", "responsible_officer__unit", "responsible_unit",
        "created_by__unit", "municipality", "secrecy_authority").get(pk=case.pk)
    # A draft never made final is no official document: it is not exported.
    documents = [_document_item(d) for d in Document.objects.filter(case=case).exclude(
        status=DocumentStatus.DRAFT).select_related(
        "party", "created_by__unit", "rule__version__plan", "rule__process", "secrecy_authority",
        "inbox_item").order_by("number")]
    events = list(history_for_case(case.pk).order_by("occurred_at", "id"))
    texts = _plan_texts(case)
    return CaseSnapshot(
        case=case,
        documents=documents,
        parties=list(case.case_parties.select_related("party").order_by("id")),
        related=sorted(case.related_cases.values_list("diary_number", flat=True)),
        events=events,
        version=export_version(case, events),
        process_name=texts.process_name,
        plan_description=texts.plan_description,
        keywords=list(texts.keywords),
    )


def record_type_name(document: Document) -> str:
    """The record type as text: the name of the plan rule the document was registered
    under ("" for registrations made without one)."""
    return document.rule.name if document.rule is not None else ""
