"""Issue 9: the officer's workspace in a real browser — the party type-ahead (htmx) on the
registration form, the case edit page and reassignment — and no page of it scrolls
sideways on a 390 px wide phone (finding 10)."""

import re

import pytest

from diarium.registry import services
from diarium.registry.models import Document
from tests.browser.staff import ks_with_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, url: str, username: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("x")
    page.get_by_label("Lösenord").press("Enter")
    page.wait_for_selector("h1:has-text('Mina ärenden')")


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_type_ahead_edit_reassign_and_a_phone_wide_layout(live_server, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    _ks, reg, _hans = ks_with_staff()
    anna = services.create_party(reg, kind="person", name="Anna Andersson",
                                 identity_number="19811218-9876")
    login(page, live_server.url, "rut")

    # Registration: the party is found as one types and picked.
    page.goto(f"{live_server.url}/registrera/")
    page.get_by_label("Ärendemening").fill("Bygglov Storgatan 1")
    page.get_by_label(re.compile(r"^Beskrivning")).fill("Ansökan om bygglov")
    page.get_by_label("Sök part").press_sequentially("811218", delay=20)
    expect(page.locator("#party-results")).to_contain_text("Anna Andersson")
    page.get_by_label("Anna Andersson").check()
    page.get_by_role("button", name="Registrera").click()
    expect(page.locator(".message.success")).to_contain_text("Registrerad som KS")
    assert Document.objects.get().party_id == anna.pk

    # Edit and reassign on the case page.
    page.get_by_role("link", name="Ändra ärendet").click()
    page.get_by_label(re.compile(r"^Ärendemening")).fill("Bygglov Storgatan 3")
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.locator("h1")).to_contain_text("Bygglov Storgatan 3")
    page.get_by_label("Ny ansvarig handläggare").select_option(label="Hans Hand")
    page.get_by_role("button", name="Byt handläggare").click()
    expect(page.locator(".message.success")).to_contain_text("ny ansvarig handläggare")
    case_url = page.url

    # At 390 px no page scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", case_url.replace(live_server.url, ""), "/registrera/",
                 "/arbetslistor/myndighetens/", "/sok/", "/arendebalans/",
                 "/handlingar/sok/?q=bygglov", "/paminnelser/"):
        page.goto(live_server.url + path)
        assert width(page) <= 390, (path, width(page))
