"""The registration form shows the part of "Ärende" that the choice asks for: the new
case's fields or the existing case's number, not both."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.browser.test_workspace import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_only_the_chosen_case_part_is_shown(live_server, browser_page):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    f.user("rut", roles={ks.authority: "registrar"})
    page = browser_page
    login(page, live_server.url, "rut")
    page.goto(f"{live_server.url}{reverse('registry:register')}")
    existing = page.locator("fieldset[data-shown-when='target:existing']")
    new = page.locator("fieldset[data-shown-when='target:new']")
    assert new.is_visible() and not existing.is_visible()  # a new case is the default
    page.get_by_label("Lägg till i ett befintligt ärende").check()
    assert existing.is_visible() and not new.is_visible()
    page.get_by_label("Det befintliga ärendets diarienummer").fill("ks 2026/999")
    page.get_by_label("Öppna ett nytt ärende").check()
    assert new.is_visible() and not existing.is_visible()
