"""Lawful disposal (gallring): a frozen list, approved by a second person under a decision,
executed so that the content is gone from every storage copy, the file store and the
search index, while the registrations, a disposal record per item and the certificate
stay; holds block; execution is idempotent and resumes after a failure."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pypdf import PdfReader

from diarium.archive import disposal, finding
from diarium.archive.disposal import items as executing
from diarium.archive.disposal.execute import _claim as claim
from diarium.archive.models import (
    ArchivedCase,
    ArchiveRecord,
    CopyState,
    DisposalRecord,
    EventType,
    ItemState,
    PackageState,
    PreservationEvent,
    RunState,
)
from diarium.audit.models import AuditEvent
from diarium.documents import removal
from diarium.documents.services import open_content
from diarium.registry import disposal_selectors as due
from diarium.registry import disposal_services, services
from diarium.registry.models import CaseStatus, Document, DocumentStatus
from diarium.search.models import SearchEntry

from .conftest import aip_folders
from .disposal_world import DECISION, build, closed_case, content_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(locations, tmp_path):
    return build(tmp_path)


def approved(w, **kwargs):
    run = disposal.create_run(w.archivist, w.authority, **kwargs)
    return disposal.approve(w.approver, run, DECISION)


def states(run) -> dict[str, str]:
    return {i.identifier: i.state for i in run.items.all()}


def test_the_list_is_frozen_with_what_and_why(w):
    run = disposal.create_run(w.archivist, w.authority)
    assert run.state == RunState.PROPOSED and run.label.startswith("KS ")
    rows = {i.identifier: i for i in run.items.all()}
    numbers = [d.document_number for d in w.receipts]
    assert set(rows) == {*numbers, w.package.objid}
    first = rows[numbers[0]]
    assert first.kind == "document" and first.record_type == "Kvitto"
    assert first.disposal_date == dt.date(2025, 1, 10) and first.rule_id
    assert first.plan_version.startswith("1 (KS ") and first.files[0]["sha256"]
    package = rows[w.package.objid]
    assert package.kind == "package" and package.case_diary_number == w.case.diary_number
    assert package.disposal_date == dt.date(2025, 1, 10)
    assert w.other.document_number not in rows  # its case is open
    assert AuditEvent.objects.filter(action="archive.disposal_proposed").count() == 1


def test_nothing_due_or_a_future_day_is_refused(w):
    with pytest.raises(ValidationError):
        disposal.create_run(w.archivist, w.authority, due_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError):
        disposal.create_run(w.archivist, w.authority,
                            due_on=dt.date.today() + dt.timedelta(days=1))


def test_the_author_cannot_approve_and_approval_needs_a_decision(w):
    run = disposal.create_run(w.archivist, w.authority)
    with pytest.raises(PermissionDenied):
        disposal.approve(w.archivist, run, DECISION)
    with pytest.raises(PermissionDenied):
        disposal.reject(w.archivist, run)
    with pytest.raises(ValidationError):
        disposal.approve(w.approver, run, "  ")
    with pytest.raises(ValidationError):  # not approved yet
        disposal.execute(w.archivist, run)
    run = disposal.approve(w.approver, run, DECISION)
    assert run.state == RunState.APPROVED and run.decided_by == w.approver
    event = AuditEvent.objects.get(action="archive.disposal_approved")
    assert event.after["decision"] == DECISION and event.actor == w.approver
    with pytest.raises(ValidationError):  # decided once
        disposal.reject(w.approver, run)


def test_a_rejected_list_is_never_executed(w):
    run = disposal.reject(w.approver, disposal.create_run(w.archivist, w.authority), "Nej")
    with pytest.raises(ValidationError):
        disposal.execute(w.archivist, run)
    assert AuditEvent.objects.filter(action="archive.disposal_rejected").exists()


def test_execution_destroys_the_content_everywhere_and_keeps_the_registration(
        w, locations):
    shared, own = content_of(w.receipts[0]).content, content_of(w.receipts[1]).content
    assert all(aip_folders(loc, w.package) for loc in locations)
    assert finding.search_packages(w.archivist, finding.ArchiveQuery(text="sparvagnsbiljett"))
    assert SearchEntry.objects.filter(key=f"document:{w.receipts[0].pk}").exists()

    run = disposal.execute(w.archivist, approved(w))

    assert run.state == RunState.COMPLETED and set(states(run).values()) == {"disposed"}
    # Every storage copy is gone, each with a PREMIS-style deletion event.
    assert not any(aip_folders(loc, w.package) for loc in locations)
    w.package.refresh_from_db()
    assert w.package.state == PackageState.DISPOSED
    assert set(w.package.copies.values_list("state", flat=True)) == {CopyState.DELETED}
    deletions = PreservationEvent.objects.filter(package=w.package,
                                                 event_type=EventType.DELETION)
    assert sorted(e.location.name for e in deletions) == ["copy-1", "copy-2"]
    assert all(DECISION in e.detail for e in deletions)
    # Nothing is found any more, in the archive or in the registry's index.
    assert not finding.search_packages(w.archivist,
                                       finding.ArchiveQuery(text="sparvagnsbiljett"))
    assert not SearchEntry.objects.filter(owner=w.package.pk).exists()
    assert not SearchEntry.objects.filter(
        key__in=[f"document:{d.pk}" for d in w.receipts]).exists()
    # The registrations stay, disposed of, with their numbers.
    for doc in w.receipts:
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.DISPOSED and doc.disposed_under == DECISION
        assert doc.document_number.startswith(w.case.diary_number)
        assert doc.disposal_record is not None
    w.case.refresh_from_db()
    assert w.case.status == CaseStatus.DISPOSED
    # The file store: own content gone; content shared with a living document kept.
    own.refresh_from_db()
    shared.refresh_from_db()
    assert own.content_removed_at is not None
    assert not removal.is_present(own)
    assert shared.content_removed_at is None
    with open_content(content_of(w.other).content) as stream:
        assert stream.read().startswith(b"Kvitto nr 4711")
    # The disposal records and the certificate survive.
    records = DisposalRecord.objects.filter(run=run)
    assert records.count() == 3
    record = records.get(document=w.receipts[0])
    assert record.files[0]["content"] == "kept"  # shared
    assert records.get(document=w.receipts[1]).files[0]["content"] == "removed"
    assert record.created_by_name == "ark" and record.approved_by_name == "admin"
    assert record.executed_by_name == "ark" and record.decision_reference == DECISION
    with pytest.raises(Exception):  # noqa: B017 - ProtectedError, whichever way it is tried
        record.delete()
    with pytest.raises(Exception):  # noqa: B017
        records.delete()
    call_command("audit", "verify", stdout=io.StringIO())


def test_the_certificate_lists_everything_and_is_in_the_audit_log(w):
    run = disposal.execute(w.archivist, approved(w))
    with open_content(run.certificate_pdf) as stream:
        pdf = stream.read()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert DECISION in text and w.receipts[0].document_number in text
    assert run.label in text
    with open_content(run.certificate_json) as stream:
        data = json.load(stream)
    assert data["decision"]["reference"] == DECISION
    assert data["decision"]["approved_by"] == "admin" and data["executed_by"] == "ark"
    assert data["counts"] == {"items": 3, "disposed": 3, "skipped": 0, "held": 0, "failed": 0}
    assert [i["identifier"] for i in data["items"]] == [
        *(d.document_number for d in w.receipts), w.package.objid]
    assert all(f["sha256"] and f["size"] for i in data["items"] for f in i["files"])
    event = AuditEvent.objects.get(action="archive.disposal_completed")
    assert event.after["certificate_pdf_sha256"] == run.certificate_pdf.sha256
    assert event.after["certificate_json_sha256"] == run.certificate_json.sha256


def test_holds_keep_items_off_the_list(w, tmp_path):
    disposal_services.place_hold(w.archivist, document=w.receipts[0], reason="Tvist")
    run = disposal.create_run(w.archivist, w.authority)
    held = run.items.get(identifier=w.receipts[0].document_number)
    assert held.state == ItemState.SKIPPED and held.held and "Tvist" in held.reason
    # The package holds the held case's documents too.
    package = run.items.get(kind="package")
    assert package.state == ItemState.SKIPPED and package.held
    assert run.items.get(identifier=w.receipts[1].document_number).state == "pending"


def test_an_archive_hold_holds_the_package(w):
    hold = disposal.place_hold(w.archivist, w.package, "Revision", "REV-1")
    run = disposal.create_run(w.archivist, w.authority)
    item = run.items.get(kind="package")
    assert item.state == ItemState.SKIPPED and "Revision" in item.reason
    disposal.release_hold(w.approver, hold, "Klar")
    run2 = disposal.create_run(w.approver, w.authority)
    assert run2.items.get(kind="package").state == ItemState.PENDING
    assert AuditEvent.objects.filter(action__in=["archive.hold_placed",
                                                 "archive.hold_released"]).count() == 2


def test_what_got_a_hold_or_was_reopened_after_freezing_is_skipped(w, locations):
    second, (other_doc, *_rest) = closed_case(w.plan, "Kontantkassan 2023",
                                              (b"Kvitto nr 1.\n",))
    run = approved(w)
    disposal_services.place_hold(w.archivist, case=w.case, reason="Begäran om handling",
                                 kind="request")
    services.reopen_case(w.plan.registrator, second)
    run = disposal.execute(w.archivist, run)
    assert run.state == RunState.COMPLETED
    result = {i.identifier: i for i in run.items.all()}
    assert result[other_doc.document_number].state == ItemState.SKIPPED
    assert result[other_doc.document_number].reason == executing.skip_text("case_not_ended")
    for doc in w.receipts:
        assert result[doc.document_number].state == ItemState.SKIPPED
        assert result[doc.document_number].held
    assert result[w.package.objid].state == ItemState.SKIPPED
    assert all(aip_folders(loc, w.package) for loc in locations)  # kept
    assert Document.objects.filter(status=DocumentStatus.DISPOSED).count() == 0
    assert not DisposalRecord.objects.exists()


def test_a_failed_execution_is_completed_by_running_it_again(w, locations, monkeypatch):
    run = approved(w)
    real = executing._delete_copies

    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(executing, "_delete_copies", broken)
    run = disposal.execute(w.archivist, run)
    assert run.state == RunState.EXECUTING and run.error.startswith("1 ")
    item = run.items.get(kind="package")
    assert item.state == ItemState.FAILED and "disk gone" in item.reason
    assert all(aip_folders(loc, w.package) for loc in locations)  # not deleted yet

    monkeypatch.setattr(executing, "_delete_copies", real)
    run = disposal.execute(w.approver, run)
    assert run.state == RunState.COMPLETED
    assert not any(aip_folders(loc, w.package) for loc in locations)
    assert DisposalRecord.objects.filter(run=run).count() == 3  # none twice
    assert PreservationEvent.objects.filter(package=w.package, event_type="deletion",
                                            outcome="success").count() == 2
    with pytest.raises(ValidationError):  # completed: nothing more to execute
        disposal.execute(w.archivist, run)
    call_command("audit", "verify", stdout=io.StringIO())


def test_a_crash_after_the_record_is_resumed(w):
    run = claim(w.archivist, approved(w))
    item = run.items.get(identifier=w.receipts[1].document_number)
    executing._dispose_document(w.archivist, run, item)  # committed, then "crashed"
    content = content_of(w.receipts[1]).content
    assert removal.is_present(content)  # bytes not yet purged
    run.lease_owner = "elsewhere:1:1"  # another machine, still working
    run.save(update_fields=["lease_owner"])
    with pytest.raises(disposal.DisposalBusy):
        disposal.execute(w.archivist, run)
    run.lease_until = timezone.now() - dt.timedelta(seconds=1)  # ... until its lease ran out
    run.save(update_fields=["lease_until"])
    run = disposal.execute(w.archivist, run)
    assert run.state == RunState.COMPLETED
    assert not removal.is_present(content)
    assert DisposalRecord.objects.filter(item=item).count() == 1


def test_the_command_executes_a_list(w):
    run = approved(w)
    out = io.StringIO()
    call_command("archive", "dispose", str(run.pk), "--user", "ark", "--quiet", stdout=out)
    assert "3 disposed of" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("archive", "dispose", str(run.pk), "--quiet", stdout=io.StringIO())


def test_disposed_documents_leave_the_report_and_refuse_changes(w):
    disposal.execute(w.archivist, approved(w))
    report = due.stream_due(w.archivist, due.DueCriteria(on=dt.date.today()))
    assert list(report) == []
    doc = Document.objects.get(pk=w.receipts[0].pk)
    with pytest.raises(ValidationError):
        services.void_document(w.plan.registrator, doc, "Fel")
    with pytest.raises(ValidationError):
        services.reopen_case(w.plan.registrator, doc.case)


def test_a_list_for_one_record_type(w):
    kvitto = w.plan.rule("Kvitto").record_type
    run = disposal.create_run(w.archivist, w.authority, record_type=kvitto)
    assert run.items.count() == 3
    with pytest.raises(ValidationError):
        disposal.create_run(w.archivist, w.authority,
                            record_type=w.plan.rule("Yttrande").record_type)


def test_a_package_without_a_case_is_judged_by_its_erms_record_types(w):
    ArchivedCase.objects.filter(package=w.package).delete()  # as if delivered by another system
    records = ArchiveRecord.objects.filter(package=w.package, kind="record")
    assert set(records.values_list("record_type", flat=True)) == {"Kvitto"}
    run = disposal.create_run(w.archivist, w.authority)
    item = run.items.get(kind="package")
    assert item.record_type == "Kvitto" and item.disposal_date == dt.date(2025, 1, 10)
    records.filter(pk=records.first().pk).update(record_type="Okänd handlingstyp")
    run = disposal.create_run(w.archivist, w.authority)
    assert not run.items.filter(kind="package").exists()
