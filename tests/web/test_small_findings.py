"""Issue 9, finding 8's smaller items: a lowercase diary number is taken when registering
into an existing case, and the menu offers registration only to who may register."""

import pytest
from django.urls import reverse
from django.utils import timezone

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
