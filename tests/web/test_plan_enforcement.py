"""The plan in the staff UI: the record type choice, the confirmation step, disposal on
the case and document pages, holds, and the disposal report."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from diarium.registry import services
from diarium.registry.models import Document, Hold
from tests import factories as f
from tests.registry.plan_world import register, world
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def letter(w, **extra) -> dict:
    return {
        "target": "new", "series": w.ks.pk, "case_title": "Kallelse till möte",
        "title": "Kallelse", "document_date": timezone.localdate().isoformat(), **extra,
    }


def test_the_form_offers_the_record_types_in_force_grouped_by_process(w):
    html = logged_in(w.registrator).get(reverse("registry:register")).content.decode()
    rule = w.rule("Kallelse")
    assert '<optgroup label="1.2.2 Genomföra sammanträden">' in html
    assert f'<option value="{rule.record_type_id}">Kallelse</option>' in html


def test_a_warning_asks_for_confirmation_and_keeps_the_files(w):
    client = logged_in(w.registrator)
    rule = w.rule("Kallelse")
    upload = SimpleUploadedFile("kallelse.pdf", b"%PDF-1.4 kallelse", "application/pdf")
    first = client.post(reverse("registry:register"),
                        letter(w, record_type=rule.record_type_id, files=[upload]))
    html = first.content.decode()
    assert first.status_code == 200 and not Document.objects.exists()
    assert "Protokollsserien" in html and 'class="message warning plan-check"' in html
    assert "kallelse.pdf" in html  # kept for the next step
    form = first.context["form"]
    confirmed = {k: v for k, v in form.data.items() if k != "files"}
    second = client.post(reverse("registry:register"), confirmed)
    assert second.status_code == 302
    doc = Document.objects.get()
    assert doc.rule_id == rule.pk
    assert doc.files.get().original_name == "kallelse.pdf"


def test_kept_files_cannot_be_taken_by_another_user(w):
    client = logged_in(w.registrator)
    upload = SimpleUploadedFile("kallelse.pdf", b"%PDF-1.4 hemlig", "application/pdf")
    first = client.post(reverse("registry:register"), letter(
        w, record_type=w.rule("Kallelse").record_type_id, files=[upload]))
    data = dict(first.context["form"].data.items())
    data.pop("files", None)
    other = f.user(roles={w.ks.authority: "registrar"})
    response = logged_in(other).post(reverse("registry:register"), data)
    assert response.status_code == 200 and not Document.objects.exists()


def test_the_default_secrecy_is_filled_in_for_confirmation(w):
    client = logged_in(w.registrator)
    rule = w.rule("Orosanmälan")
    first = client.post(reverse("registry:register"), letter(w, record_type=rule.record_type_id))
    assert first.status_code == 200 and not Document.objects.exists()
    assert 'value="OSL 26:1"' in first.content.decode()
    data = dict(first.context["form"].data.items())
    assert client.post(reverse("registry:register"), data).status_code == 302
    assert Document.objects.get().secrecy_provision == "OSL 26 kap. 1 §"


def test_a_record_type_without_remarks_registers_at_once(w):
    case = f.case(w.registrator, w.ks)
    response = logged_in(w.registrator).post(
        reverse("registry:case_add_document", args=[case.pk]),
        {"direction": "internal", "title": "Yttrande", "record_type":
         w.rule("Yttrande").record_type_id, "document_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert Document.objects.get().rule.name == "Yttrande"


def test_case_and_document_pages_show_the_plan(w):
    case = f.case(w.registrator, w.ks)
    doc = register(w.registrator, case, "Yttrande")
    services.close_case(w.registrator, case)
    client = logged_in(w.archivist)
    html = client.get(reverse("registry:case", args=[case.pk])).content.decode()
    date = f"{timezone.localdate().year + 2}-12-31"
    assert "Yttrande" in html and date in html
    assert reverse("registry:case_hold", args=[case.pk]) in html
    html = client.get(reverse("registry:document", args=[doc.pk])).content.decode()
    assert date in html and "Gallringsbeslut KS 2024:1" in html
    assert reverse("registry:document_record_type", args=[doc.pk]) in html
    officer_html = logged_in(w.registrator).get(
        reverse("registry:case", args=[case.pk])).content.decode()
    assert reverse("registry:case_hold", args=[case.pk]) not in officer_html


def test_holds_are_placed_and_released_in_the_ui(w):
    case = f.case(w.registrator, w.ks)
    client = logged_in(w.archivist)
    client.post(reverse("registry:case_hold", args=[case.pk]), {"reason": "Tvist"})
    hold = Hold.objects.get()
    assert hold.case_id == case.pk and hold.placed_by == w.archivist
    client.post(reverse("registry:hold_release", args=[hold.pk]), {"note": "Klar"})
    hold.refresh_from_db()
    assert hold.released_at and hold.release_note == "Klar"
    other = f.user(roles={w.bun.authority: "archivist"})
    response = logged_in(other).post(reverse("registry:case_hold", args=[case.pk]),
                                     {"reason": "x"})
    assert response.status_code == 404
    response = logged_in(w.registrator).post(reverse("registry:case_hold", args=[case.pk]),
                                             {"reason": "x"})
    assert response.status_code == 404 and Hold.objects.count() == 1


def test_the_report_pages_and_csv_are_for_archivists(w):
    case = f.case(w.registrator, w.ks)
    doc = register(w.registrator, case, "Kvitto", "Kvitto 1", document_date=dt.date(2024, 1, 2))
    services.close_case(w.registrator, case)
    client = logged_in(w.archivist)
    html = client.get(reverse("registry:disposal_report")).content.decode()
    assert "Kvitto" in html and reverse("registry:disposal_list") in html
    html = client.get(reverse("registry:disposal_list"), {
        "authority": "KS", "record_type": doc.record_type_id}).content.decode()
    assert doc.document_number in html
    response = client.get(reverse("registry:disposal_csv"), {"authority": "KS"})
    assert isinstance(response, StreamingHttpResponse)
    assert doc.document_number in b"".join(response.streaming_content).decode()
    for name in ("disposal_report", "disposal_list", "disposal_csv"):
        assert logged_in(w.registrator).get(reverse(f"registry:{name}")).status_code == 403
    menu = logged_in(w.registrator).get(reverse("web:home")).content.decode()
    assert reverse("registry:disposal_report") not in menu
    assert reverse("registry:disposal_report") in client.get(reverse("web:home")).content.decode()


def test_history_shows_holds_and_record_type_changes(w):
    case = f.case(w.registrator, w.ks)
    doc = register(w.registrator, case)
    client = logged_in(w.archivist)
    client.post(reverse("registry:case_hold", args=[case.pk]), {"reason": "Tvist om bygget"})
    response = client.post(reverse("registry:document_record_type", args=[doc.pk]),
                           {"record_type": w.rule("Kallelse").record_type_id}, follow=True)
    html = response.content.decode()
    assert "Protokollsserien" in html  # the plan's warning, shown after the change
    doc.refresh_from_db()
    assert doc.rule.name == "Kallelse"
    html = client.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert "Gallringsstopp lagt" in html and "Tvist om bygget" in html
    assert "Handlingstyp ändrad" in html
    officer = f.user(roles={w.ks.authority: "officer"})
    response = logged_in(officer).post(reverse("registry:document_record_type", args=[doc.pk]),
                                       {"record_type": ""})
    assert response.status_code == 403
