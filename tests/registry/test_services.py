import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.core.actors import MAIL
from diarium.registry import services
from diarium.registry.models import CaseStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return f.series(f.authority("KS"), "KS")


@pytest.fixture
def registrator(ks):
    return f.user("reg", roles={ks.authority: "registrar"})


def test_numbers_are_consecutive_per_series_and_year(ks, registrator):
    other = f.series(f.authority("BUN"), "BUN")
    reg2 = f.user(roles={other.authority: "registrar"})
    year = timezone.localdate().year
    a, b = f.case(registrator, ks), f.case(registrator, ks)
    c = f.case(reg2, other)
    assert (a.number, b.number, c.number) == (1, 2, 1)
    assert a.diary_number == f"KS {year}/1"
    assert c.diary_number == f"BUN {year}/1"


def test_number_format_is_configurable(ks, registrator, settings):
    settings.DIARY_NUMBER_FORMAT = "{series}-{year}-{number}"
    settings.DIARY_NUMBER_PADDING = 4
    case = f.case(registrator, ks)
    assert case.diary_number == f"KS-{case.year}-0001"


def test_voided_number_is_never_given_again(ks, registrator):
    first = f.case(registrator, ks)
    services.void_case(registrator, first, "Felregistrerat")
    second = f.case(registrator, ks)
    first.refresh_from_db()
    assert first.status == CaseStatus.VOID and first.void_reason == "Felregistrerat"
    assert second.number == first.number + 1


def test_void_needs_a_reason_and_the_registry_role(ks, registrator):
    officer = f.user(roles={ks.authority: "officer"})
    case = f.case(registrator, ks, responsible_officer=officer)
    with pytest.raises(ValidationError):
        services.void_case(registrator, case, "  ")
    with pytest.raises(PermissionDenied):
        services.void_case(officer, case, "Fel")


def test_close_and_reopen_with_note(ks, registrator):
    case = f.case(registrator, ks)
    services.close_case(registrator, case, "Beslut fattat")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closing_note == "Beslut fattat"
    assert case.closed_at is not None
    services.reopen_case(registrator, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_at is None
    actions = list(AuditEvent.objects.filter(case_id=case.id).values_list("action", flat=True))
    assert actions == ["case.opened", "case.closed", "case.reopened"]


def test_documents_are_numbered_within_the_case_with_files(ks, registrator):
    case = f.case(registrator, ks)
    upload = services.Upload(io.BytesIO(b"%PDF-1.4 brev"), "../../etc/brev.pdf")
    d1 = f.document(registrator, case, uploads=[upload])
    d2 = f.document(registrator, case, direction="outgoing")
    assert (d1.number, d2.number) == (1, 2)
    assert d1.document_number == f"{case.diary_number}:1"
    stored = d1.files.get()
    assert stored.original_name == "brev.pdf"
    assert stored.size == len(b"%PDF-1.4 brev") and stored.mime_type == "application/pdf"


def test_same_content_is_stored_once(ks, registrator):
    case = f.case(registrator, ks)
    d1 = f.document(registrator, case, uploads=[services.Upload(io.BytesIO(b"abc"), "a.txt")])
    d2 = f.document(registrator, case, uploads=[services.Upload(io.BytesIO(b"abc"), "b.txt")])
    assert d1.files.get().content_id == d2.files.get().content_id


def test_upload_over_the_limit_is_refused_and_nothing_written(ks, registrator, settings):
    settings.MAX_UPLOAD_BYTES = 10
    case = f.case(registrator, ks)
    from diarium.documents.services import FileTooLarge

    with pytest.raises(FileTooLarge):
        f.document(registrator, case, uploads=[services.Upload(io.BytesIO(b"x" * 11), "a.txt")])
    case.refresh_from_db()
    assert case.document_count == 0 and not case.documents.exists()


def test_future_document_date_is_refused(ks, registrator):
    case = f.case(registrator, ks)
    with pytest.raises(ValidationError) as err:
        f.document(registrator, case, document_date=timezone.localdate() + dt.timedelta(days=5))
    assert "document_date" in err.value.message_dict


def test_inbox_mail_is_placed_in_a_case(ks, registrator):
    item = services.receive_mail(
        MAIL, ks.authority, sender="anna@example.se", subject="Synpunkt på bygglov",
        uploads=[services.Upload(io.BytesIO(b"hej"), "synpunkt.txt")],
    )
    case = f.case(registrator, ks)
    doc = services.place_inbox_item(
        registrator, item, case,
        services.DocumentData(direction="incoming", title=item.subject,
                              document_date=timezone.localdate(), sender_recipient=item.sender),
    )
    item.refresh_from_db()
    assert item.status == "placed" and item.document == doc
    assert doc.files.get().original_name == "synpunkt.txt"
    with pytest.raises(ValidationError):
        services.place_inbox_item(registrator, item, case, services.DocumentData(
            direction="incoming", title="igen", document_date=timezone.localdate()))


def test_joint_board_records_member_municipality(registrator):
    host = f.municipality("Värdkommun")
    neighbour = f.municipality("Grannkommun")
    ofn = f.authority("ÖFN", muni=host)
    ofn.member_municipalities.set([host, neighbour])
    ser = f.series(ofn, "ÖFN")
    reg = f.user(roles={ofn: "registrar"})
    case = f.case(reg, ser, municipality=neighbour)
    assert case.municipality == neighbour
    with pytest.raises(ValidationError):
        f.case(reg, ser, municipality=f.municipality("Utomstående"))
