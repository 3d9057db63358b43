"""A case officer asks the plan what to do with a kind of document, from the box in the
header, and reads where it is registered, how long it is kept and under which decision."""

import pytest

from diarium.core.actors import DEMO
from diarium.plan.sample import load_sample_plan
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer():
    ks = f.authority("KS", name="Kommunstyrelsen")
    load_sample_plan(DEMO, ks.municipality)
    return f.user("hanna", roles={ks: "officer"})


def test_what_do_i_do_with_a_kind_of_document(live_server, browser_page, officer):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("Användarnamn").fill("hanna")
    page.get_by_label("Lösenord").fill("x")
    page.get_by_label("Lösenord").press("Enter")
    expect(page.locator("h1")).to_have_text("Mina ärenden")

    # The box in the header, by keyboard; the form is a plain GET form.
    box = page.get_by_role("searchbox", name="Vad gör jag med …?")
    box.focus()
    page.keyboard.type("sjukfrånvaro")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Vad gör jag med …?")
    first = page.locator(".answer").first
    expect(first.locator("h3")).to_have_text("Sjukfrånvaroanmälningar")
    expect(first.locator(".says")).to_contain_text("Registreras i HR-systemet.")
    expect(first.locator(".says")).to_contain_text(
        "Gallras 2 år efter utgången av det år handlingen är daterad "
        "(Gallringsbeslut KS 2024:1")
    expect(first.locator(".says")).to_contain_text("sekretess (OSL 39:3)")

    # Another kind of document, from the form on the answer page.
    page.get_by_label("Typ av handling").fill("protokoll")
    page.get_by_role("button", name="Sök svar").last.click()
    first = page.locator(".answer").first
    expect(first.locator("h3")).to_have_text("Protokoll")
    expect(first.locator(".says")).to_contain_text(
        "hålls ordnad i Protokollsserien i Diarium. Bevaras (Arkivlagen (1990:782)")

    # From the answer to the record type's row in the whole plan.
    first.get_by_role("link", name="Visa i planen").click()
    expect(page.locator("h1")).to_have_text("Informationshanteringsplan för Kommunstyrelsen")
    expect(page.locator("tr:target")).to_contain_text("Protokoll")
