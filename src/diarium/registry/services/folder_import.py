"""The one write of a folder import: a file, already stored, registered as a document in
its case (opening the case first when the mapping asks for a new one) together with the
record that says this path and content were imported, in one transaction. So a second
run finds the record and skips the file, and a new case is opened once whatever happens
between runs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.registry.intake.models import FolderImportCase, FolderImportFile
from diarium.registry.models import Case, DiarySeries, Document
from diarium.registry.services._common import CaseData, StoredUpload
from diarium.registry.services.documents import (
    DocumentData,
    register_stored_document,
    register_stored_in_new_case,
)


def imported(source_path: str, sha256: str) -> bool:
    return FolderImportFile.objects.filter(source_path=source_path, sha256=sha256).exists()


def case_for_key(key: str) -> Case | None:
    found = FolderImportCase.objects.filter(key=key).select_related("case").first()
    return found.case if found else None


@atomic_with_retry
def import_file(actor: Actor, source_path: str, stored: StoredUpload, data: DocumentData, *,
                case: Case | None = None, series: DiarySeries | None = None,
                case_key: str = "", case_title: str = "") -> Document:
    """Register one file: in case, or in the case opened before for case_key, or in a new
    case in series titled case_title (recorded under case_key)."""
    if FolderImportFile.objects.select_for_update().filter(
            source_path=source_path, sha256=stored.content.sha256).exists():
        raise FileExistsError(_("already imported"))
    if case is None and case_key:
        case = case_for_key(case_key)
    if case is not None:
        doc = register_stored_document(actor, case, data, [stored])
    else:
        doc = register_stored_in_new_case(actor, series, CaseData(title=case_title), data,
                                          [stored])
        FolderImportCase.objects.create(key=case_key, case=doc.case)
    FolderImportFile.objects.create(source_path=source_path, sha256=stored.content.sha256,
                                    document=doc)
    return doc
