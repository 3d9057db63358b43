"""Everything one case's export needs, read from the registry, the audit log and the plan in
one place (the exporter runs with system rights: an archive delivery holds secret content
too, marked with its restriction).

Registry fields that may appear later (a record type reference, disposal data) are read
with getattr so that the export keeps working while the models grow."""

from __future__ import annotations

from dataclasses import dataclass, field

from diarium.audit.models import AuditEvent
from diarium.audit.selectors import history_for_case
from diarium.registry.models import (
    Case,
    CaseParty,
    CaseStatus,
    Document,
    DocumentFile,
    DocumentStatus,
)

from ..sip.paths import portable_name

# Status changes that end a case: each starts a new version of its archive package.
FINAL_ACTIONS = ("case.closed", "case.voided")
STATUS_ACTIONS = ("case.closed", "case.reopened", "case.dormant", "case.voided")


@dataclass
class FileItem:
    file: DocumentFile
    path: str  # relative to representations/rep1/data/


@dataclass
class DocumentItem:
    document: Document
    files: list[FileItem] = field(default_factory=list)


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

    @property
    def case_events(self) -> list[AuditEvent]:
        label = Case._meta.label_lower
        return [e for e in self.events
                if e.object_type == label and e.object_id == str(self.case.pk)]

    def last_event(self, action: str) -> AuditEvent | None:
        matching = [e for e in self.case_events if e.action == action]
        return matching[-1] if matching else None


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
    if document.status == DocumentStatus.DISPOSED:
        return []  # its files were destroyed under a decision; the registration still goes
    items, used = [], set()
    for stored in document.files.select_related("content").order_by("added_at", "id"):
        name = portable_name(stored.original_name)
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 1
        while candidate.casefold() in used:
            n += 1
            candidate = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})"
        used.add(candidate.casefold())
        items.append(FileItem(stored, f"{document.number}/{candidate}"))
    return items


def _plan_texts(case: Case) -> tuple[str, str]:
    """(process name for the classification code, description of the plan version)."""
    try:
        from diarium.plan import selectors as plan

        on = (case.closed_at or case.opened_at).date()
        version = plan.version_in_force(case.authority_id, on)
        process = (plan.process_in_force(case.authority_id, case.classification_code, on)
                   if case.classification_code else None)
    except Exception:  # the plan is optional for an export; never fail on it
        return "", ""
    described = f"{version.plan.name}, version {version.number}" if version else ""
    return (process.name if process else ""), described


def _has_relation(model, path: str) -> bool:
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except Exception:
            return False
        if not field.is_relation:
            return False
        model = field.related_model
    return True


def snapshot(case: Case) -> CaseSnapshot:
    case = Case.objects.select_related(
        "authority", "authority__municipality", "series", "responsible_officer",
        "responsible_unit", "created_by").get(pk=case.pk)
    related = ["party", "created_by"] + [name for name in ("rule", "rule__version")
                                         if _has_relation(Document, name)]
    documents = [DocumentItem(d, _file_items(d)) for d in Document.objects.filter(case=case)
                 .select_related(*related).order_by("number")]
    events = list(history_for_case(case.pk).order_by("occurred_at", "id"))
    process_name, plan_description = _plan_texts(case)
    return CaseSnapshot(
        case=case,
        documents=documents,
        parties=list(case.case_parties.select_related("party").order_by("id")),
        related=sorted(case.related_cases.values_list("diary_number", flat=True)),
        events=events,
        version=export_version(case, events),
        process_name=process_name,
        plan_description=plan_description,
    )


def record_type_name(document: Document) -> str:
    """The record type as text: the name of the plan rule the document was registered
    under, or the free text of registrations made before the plan was enforced."""
    rule = getattr(document, "rule", None)
    if rule is not None and getattr(rule, "name", ""):
        return str(rule.name)
    value = getattr(document, "record_type", "")
    return value if isinstance(value, str) else ""
