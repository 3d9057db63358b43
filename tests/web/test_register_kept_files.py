"""Issue 9, finding 8: the files chosen on a registration form are kept when the form is
shown again (an error, the plan's confirmation step, a party search), only for the user
and the form that chose them, and used up by the registration that takes them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from diarium.registry import services
from diarium.registry.models import Case, Document, StagedUpload
from tests import factories as f
from tests.web.conftest import logged_in, new_case_letter

pytestmark = pytest.mark.django_db
GONE = "En fil som sparats från förra försöket finns inte längre kvar"




def pdf(name: str = "ansokan.pdf", body: bytes = b"%PDF-1.4 ansokan") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, "application/pdf")


def resent(response, **changes) -> dict:
    """What the page sends back: the form's data with the kept ids, without the files."""
    data = {k: v for k, v in response.context["form"].data.lists() if k != "files"}
    return {k: (v if len(v) != 1 else v[0]) for k, v in data.items()} | changes


def test_files_are_kept_when_the_form_has_an_error(ks, reg_client):
    first = reg_client.post(reverse("registry:register"), new_case_letter(
        ks, case_title="", files=[pdf(), pdf("bilaga.pdf", b"%PDF-1.4 bilaga " * 800)]))
    html = first.content.decode()
    assert first.status_code == 200 and not Case.objects.exists()
    assert "Ett ärende behöver en rubrik." in html or "has-error" in html
    assert "Vald fil: ansokan.pdf (16\xa0byte) — behålls" in html
    assert "Vald fil: bilaga.pdf (12,5\xa0kB) — behålls" in html
    staged = list(StagedUpload.objects.order_by("name"))
    assert [s.name for s in staged] == ["ansokan.pdf", "bilaga.pdf"]
    assert f'name="kept_files" value="{staged[0].pk}"' in html
    assert f'name="drop_files" value="{staged[0].pk}"' in html

    second = reg_client.post(reverse("registry:register"),
                             resent(first, case_title="Bygglov Storgatan 1"))
    assert second.status_code == 302
    doc = Document.objects.get()
    assert sorted(doc.files.values_list("original_name", flat=True)) == [
        "ansokan.pdf", "bilaga.pdf"]
    assert not StagedUpload.objects.exists()  # used up with the registration


def test_a_kept_file_can_be_dropped_and_more_chosen(ks, reg_client):
    first = reg_client.post(reverse("registry:register"), new_case_letter(
        ks, title="", files=[pdf(), pdf("fel.pdf", b"%PDF-1.4 fel")]))
    wrong = StagedUpload.objects.get(name="fel.pdf")
    data = resent(first, title="Ansökan", drop_files=str(wrong.pk),
                  files=[pdf("ritning.pdf", b"%PDF-1.4 ritning")])
    assert reg_client.post(reverse("registry:register"), data).status_code == 302
    names = sorted(Document.objects.get().files.values_list("original_name", flat=True))
    assert names == ["ansokan.pdf", "ritning.pdf"]


def test_files_are_kept_through_a_party_search(ks, reg_client):
    first = reg_client.post(reverse("registry:register"), new_case_letter(
        ks, find_party="1", party_query="Anna", files=[pdf()]))
    assert "Vald fil: ansokan.pdf" in first.content.decode()
    data = resent(first)
    data.pop("find_party")
    assert reg_client.post(reverse("registry:register"), data).status_code == 302
    assert Document.objects.get().files.get().original_name == "ansokan.pdf"


def test_another_users_staged_file_cannot_be_used_or_seen(ks, reg_client):
    first = reg_client.post(reverse("registry:register"), new_case_letter(
        ks, case_title="", files=[pdf("hemlig.pdf", b"%PDF-1.4 hemlig")]))
    stolen = resent(first, case_title="Stulen fil")
    other = f.user("annan", roles={ks.authority: "registrar"})
    response = logged_in(other).post(reverse("registry:register"), stolen)
    html = response.content.decode()
    assert response.status_code == 200 and not Document.objects.exists()
    assert GONE in html and "hemlig.pdf" not in html
    # The owner's staged file is still there for the owner.
    assert StagedUpload.objects.get().name == "hemlig.pdf"
    assert reg_client.post(reverse("registry:register"),
                           resent(first, case_title="Egen fil")).status_code == 302


def test_a_malformed_kept_id_is_refused(ks, reg_client):
    response = reg_client.post(reverse("registry:register"), new_case_letter(
        ks, kept_files="../../etc/passwd"))
    assert response.status_code == 200 and GONE in response.content.decode()
    assert not Document.objects.exists()


def test_a_staged_file_belongs_to_its_form(ks, registrator, reg_client):
    first = reg_client.post(reverse("registry:register"), new_case_letter(ks, case_title="",
                                                                 files=[pdf()]))
    staged = StagedUpload.objects.get()
    case = f.case(registrator, ks)
    response = reg_client.post(reverse("registry:case_add_document", args=[case.pk]), {
        "direction": "outgoing", "title": "Svar",
        "document_date": timezone.localdate().isoformat(), "kept_files": str(staged.pk),
    })
    assert response.status_code == 200 and GONE in response.content.decode()
    assert not case.documents.exists()
    assert first.status_code == 200


def test_the_add_document_form_keeps_files_too(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    url = reverse("registry:case_add_document", args=[case.pk])
    first = reg_client.post(url, {"direction": "outgoing", "title": "",
                                  "document_date": timezone.localdate().isoformat(),
                                  "files": [pdf("svar.pdf", b"%PDF-1.4 svar")]})
    assert "Vald fil: svar.pdf" in first.content.decode()
    assert reg_client.post(url, resent(first, title="Svar")).status_code == 302
    assert case.documents.get().files.get().original_name == "svar.pdf"


def test_an_expired_staged_file_is_refused_and_cleared(ks, reg_client):
    first = reg_client.post(reverse("registry:register"), new_case_letter(ks, case_title="",
                                                                 files=[pdf()]))
    StagedUpload.objects.update(created_at=timezone.now() - dt.timedelta(hours=3))
    response = reg_client.post(reverse("registry:register"), resent(first, case_title="X"))
    assert response.status_code == 200 and GONE in response.content.decode()
    assert not Document.objects.exists()
    assert not StagedUpload.objects.exists()  # cleared when the form was shown again
    reg_client.post(reverse("registry:register"), new_case_letter(ks, case_title="", files=[pdf()]))
    StagedUpload.objects.update(created_at=timezone.now() - dt.timedelta(hours=3))
    assert services.clear_expired() == 1 and not StagedUpload.objects.exists()


def test_a_second_submit_of_the_same_kept_files_registers_nothing(ks, reg_client):
    first = reg_client.post(reverse("registry:register"), new_case_letter(ks, case_title="",
                                                                 files=[pdf()]))
    data = resent(first, case_title="Bygglov")
    assert reg_client.post(reverse("registry:register"), data).status_code == 302
    again = reg_client.post(reverse("registry:register"), data)
    assert again.status_code == 200 and GONE in again.content.decode()
    assert Document.objects.count() == 1 and Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_registration_leaves_nothing_and_keeps_the_staged_file(ks, registrator):
    """The staged upload is used up inside the registration's transaction: when it cannot
    be (another user's), neither the case nor the document is written."""
    owner = f.user("agare", roles={ks.authority: "registrar"})
    stored = services.store_uploads(owner, [services.Upload(pdf(), "a.pdf", "application/pdf")])
    staged = services.stage_files(owner, "register", stored)
    data = services.DocumentData(direction="incoming", title="Brev",
                                 document_date=timezone.localdate())
    with pytest.raises(Exception) as caught:
        services.register_stored_in_new_case(
            registrator, ks, services.CaseData(title="Ärende"), data, staged)
    assert "files" in caught.value.message_dict
    assert not Case.objects.exists() and not Document.objects.exists()
    assert StagedUpload.objects.get().pk == staged[0].staged
    doc = services.register_stored_in_new_case(
        owner, ks, services.CaseData(title="Ärende"), data, staged)
    assert doc.files.get().original_name == "a.pdf" and not StagedUpload.objects.exists()


def test_staged_content_is_protected_from_disposal_removal(ks, registrator):
    from diarium.documents.removal import still_referenced

    stored = services.store_uploads(registrator, [services.Upload(pdf(), "a.pdf", None)])
    services.stage_files(registrator, "register", stored)
    assert still_referenced(stored[0].content.sha256, {})


def test_a_staged_file_used_meanwhile_is_not_shown_as_kept(ks, registrator):
    stored = services.store_uploads(registrator, [services.Upload(pdf(), "a.pdf", None)])
    staged = services.stage_files(registrator, "register", stored)
    StagedUpload.objects.all().delete()  # used by a registration in another tab
    new = services.store_uploads(registrator, [services.Upload(pdf("b.pdf", b"b"), "b.pdf",
                                                               None)])
    kept = services.stage_files(registrator, "register", staged + new)
    assert [f.name for f in kept] == ["b.pdf"]
