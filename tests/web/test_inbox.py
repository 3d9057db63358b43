import io

import pytest
from django.urls import reverse
from django.utils import timezone

from diarium.core.actors import MAIL
from diarium.registry import services
from diarium.registry.models import Case, InboxStatus
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(ks):
    return services.receive_mail(
        MAIL, ks.authority, sender="anna@example.se", subject="Synpunkt på detaljplan",
        body="Hej! Jag har synpunkter.",
        uploads=[services.Upload(io.BytesIO(b"synpunkt"), "synpunkt.txt")],
    )


def test_inbox_lists_mail_and_home_counts_it(item, reg_client):
    html = reg_client.get(reverse("registry:inbox")).content.decode()
    assert "Synpunkt på detaljplan" in html and "anna@example.se" in html
    assert "synpunkt.txt" in html
    home = reg_client.get(reverse("web:home")).content.decode()
    assert "1 oplacerad handling i inkorgen" in home


def test_other_authoritys_mail_is_not_shown(item):
    client = logged_in(f.user(roles={f.authority("BUN"): "registrar"}))
    assert "Synpunkt" not in client.get(reverse("registry:inbox")).content.decode()
    url = reverse("registry:inbox_place", args=[item.pk])
    assert client.get(url).status_code == 404


def test_inbox_file_download(item, reg_client):
    upload = item.inboxfile_set.get()
    response = reg_client.get(reverse("registry:inbox_file", args=[item.pk, upload.pk]))
    assert b"".join(response.streaming_content) == b"synpunkt"


def test_place_mail_in_a_new_case(ks, item, reg_client):
    url = reverse("registry:inbox_place", args=[item.pk])
    form = reg_client.get(url).content.decode()
    assert 'value="Synpunkt på detaljplan"' in form  # description defaults to the subject
    response = reg_client.post(url, {
        "target": "new", "series": ks.pk, "case_title": "Detaljplan Norr",
        "title": "Synpunkt på detaljplan", "sender_recipient": "anna@example.se",
        "document_date": timezone.localdate().isoformat(),
    }, follow=True)
    case = Case.objects.get()
    item.refresh_from_db()
    assert item.status == InboxStatus.PLACED and item.document.case == case
    assert item.document.files.get().original_name == "synpunkt.txt"
    assert f"Registrerad som {case.diary_number}:1." in response.content.decode()


def test_place_mail_in_an_existing_case(ks, registrator, item, reg_client):
    case = f.case(registrator, ks, "Detaljplan Norr")
    response = reg_client.post(reverse("registry:inbox_place", args=[item.pk]), {
        "target": "existing", "diary_number": case.diary_number,
        "title": "Synpunkt", "document_date": timezone.localdate().isoformat(),
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.document.case == case


def test_place_in_another_authoritys_case_is_refused(ks, item, reg_client):
    bun = f.series(f.authority("BUN"), "BUN")
    other = f.case(f.user(roles={bun.authority: "registrar"}), bun, "Annat")
    response = reg_client.post(reverse("registry:inbox_place", args=[item.pk]), {
        "target": "existing", "diary_number": other.diary_number,
        "title": "Synpunkt", "document_date": timezone.localdate().isoformat(),
    })
    assert response.status_code == 200
    assert "Du får inte registrera handlingar i det här ärendet." in response.content.decode()
    item.refresh_from_db()
    assert item.status == InboxStatus.NEW
