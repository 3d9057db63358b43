"""Keyboard shortcuts in a real browser: a key sequence follows its link, "/" moves to the
search field, keys typed into a field stay text, "?" opens the list."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.browser.test_workspace import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_registrator_works_by_keyboard(live_server, browser_page):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    rut = f.user("rut", roles={ks.authority: "registrar"}, first_name="Rut", last_name="Reg")
    case = f.case(rut, ks, "Bygglov Storgatan 1")
    page = browser_page
    login(page, live_server.url, "rut")

    page.keyboard.press("g")
    page.keyboard.press("s")
    page.wait_for_url(f"{live_server.url}{reverse('registry:search')}")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    assert page.evaluate("document.activeElement.id") != "header-lookup"  # the page's own
    page.keyboard.type("g h")  # text in the field, not a shortcut
    assert page.url.endswith(reverse("registry:search"))
    assert page.input_value("main input[name=q]") == "g h"

    page.goto(f"{live_server.url}{reverse('registry:case', args=[case.pk])}")
    page.keyboard.press("e")
    page.wait_for_url(f"{live_server.url}{reverse('registry:case_edit', args=[case.pk])}")
    page.keyboard.press("?")
    page.wait_for_url(f"{live_server.url}{reverse('web:shortcuts')}")
    assert page.locator("h1").inner_text() == "Kortkommandon"
    page.keyboard.press("n")
    page.wait_for_url(f"{live_server.url}{reverse('registry:register')}")
