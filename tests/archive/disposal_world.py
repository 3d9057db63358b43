"""A world for disposal tests: KS with an adopted plan (receipts, "Kvitto", are disposed
of a year after their date), two archivists (one draws up a list, the other approves it),
a closed case of receipts archived in the e-archive, and an open case holding a file with
the same bytes as one of the receipts."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from diarium.archive.models import ArchivedCase, Package
from diarium.organisation.models import User
from diarium.registry import services
from diarium.registry.models import Case, Document, DocumentFile
from tests import factories as f
from tests.registry import plan_world

from .archived import archive_closed, diarium_agreement

OLD = dt.date(2024, 1, 10)  # a receipt of this date is due from 2025-01-10
SHARED = b"Kvitto nr 4711, betalt kontant.\n"
DECISION = "Gallringsbeslut KS 2024:1"


@dataclass
class DisposalWorld:
    plan: plan_world.World
    archivist: User  # draws up lists
    approver: User  # an administrator of KS: approves
    case: Case  # closed, archived, due
    receipts: list[Document]
    package: Package
    other: Document  # in an open case, same bytes as the first receipt's file

    @property
    def authority(self):
        return self.plan.ks.authority


def upload(name: str, content: bytes) -> services.Upload:
    return services.Upload(io.BytesIO(content), name)


def receipt(actor: User, case: Case, title: str, content: bytes,
            date: dt.date = OLD) -> Document:
    return services.register_document(actor, case, services.DocumentData(
        title=title, record_type="Kvitto", direction="incoming", document_date=date),
        [upload(f"{title.lower().replace(' ', '-')}.txt", content)])


def closed_case(w: plan_world.World, title: str = "Kontantkassan 2024",
                contents: tuple[bytes, ...] = (SHARED, b"Kvitto nr 4712, sparvagnsbiljett.\n")):
    case = f.case(w.registrator, w.ks, title=title, classification_code="1.2.1")
    docs = [receipt(w.registrator, case, f"Kvitto {n}", content)
            for n, content in enumerate(contents, start=1)]
    services.close_case(w.registrator, case, "Klart.")
    return case, docs


def build(tmp_path: Path) -> DisposalWorld:
    w = plan_world.world()
    diarium_agreement(w.ks.authority)
    case, docs = closed_case(w)
    archive_closed(tmp_path / "export")
    package = ArchivedCase.objects.get(case=case).package
    open_case = f.case(w.registrator, w.ks, title="Pågående inköp")
    other = receipt(w.registrator, open_case, "Kopia av kvitto", SHARED,
                    date=dt.date.today())
    approver = f.user("admin", roles={w.ks.authority: "administrator"})
    return DisposalWorld(w, w.archivist, approver, case, docs, package, other)


def content_of(doc: Document) -> DocumentFile:
    return DocumentFile.objects.select_related("content").get(document=doc)
