"""Issue 9, finding 8's smaller items: a lowercase diary number is taken when registering
into an existing case, and the menu offers registration only to who may register."""

import pytest
from django.urls import reverse
from django.utils import timezone

from diarium.registry import services
from diarium.registry.models import Document
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_a_lowercase_diary_number_finds_the_case(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    reg_client.post(reverse("registry:register"), {
        "target": "existing", "diary_number": "  " + case.diary_number.lower(),
        "title": "Komplettering", "document_date": timezone.localdate().isoformat()})
    assert Document.objects.get().case == case


@pytest.mark.parametrize(("role", "offered"), [
    ("registrar", True), ("officer", True), ("archivist", False), ("reader", False)])
def test_the_menu_offers_registration_only_to_who_may_register(ks, role, offered):
    html = logged_in(f.user(roles={ks.authority: role})).get(reverse("web:home")).content.decode()
    assert (reverse("registry:register") in html) is offered
    assert ("Registrera inkommande handling" in html) is offered


def test_a_closed_case_asks_to_reopen_before_a_new_document(ks, registrator, reg_client):
    """Finding 8: a closed case offers no registration of a new document unasked; it
    offers to reopen the case and go on to the registration."""
    case = f.case(registrator, ks, "Avslutat ärende")
    services.close_case(registrator, case, "Klart")
    add = reverse("registry:case_add_document", args=[case.pk])
    html = reg_client.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert f'href="{add}"' not in html and 'name="then" value="document"' in html
    response = reg_client.get(add, follow=True)
    assert "Ärendet är avslutat: öppna det igen" in response.content.decode()
    response = reg_client.post(add, {"direction": "outgoing", "title": "Svar",
                                     "document_date": "2026-01-03"})
    assert response.status_code == 302 and not case.documents.exists()
    response = reg_client.post(reverse("registry:case_reopen", args=[case.pk]),
                               {"then": "document"})
    assert response.status_code == 302 and response["Location"] == add
    case.refresh_from_db()
    assert case.status == "open"
    assert reg_client.get(add).status_code == 200
