"""The request pages of the public site (the form, its errors, the receipt, the download
page, an error page) look and work like the rest of it: axe-core finds no serious or
critical WCAG 2.1 AA violation at a desktop width (1366 px) and a phone width (390 px),
nothing needs sideways scrolling, errors are in Swedish beside their fields and summed up
with links at the top, and the spam protection (honeypot, signed time) is not seen."""

import re

import pytest

from diarium.disclosure import services
from diarium.disclosure.models import DisclosureRequest, Outcome
from tests.browser.axe import axe_source, violations
from tests.disclosure.conftest import world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_request_pages_are_accessible_at_desktop_and_phone_width(
        live_server, browser_page, world, size):  # noqa: F811
    from playwright.sync_api import expect

    axe = axe_source()
    page = browser_page
    width, height = WIDTHS[size]
    page.set_viewport_size({"width": width, "height": height})
    doc = world["public"]
    problems = {}

    def check(name: str) -> None:
        assert page.evaluate("document.documentElement.lang") == "sv"
        found = violations(page, axe)
        if found:
            problems[name] = found
        assert fits(page), f"{name} scrolls sideways at {width} px"

    page.goto(f"{live_server.url}/insyn/begar/?document={doc.pk}")
    expect(page.locator("h1")).to_have_text("Begär ut allmänna handlingar")
    # The public site's look: its stylesheet, its header, the table of the public diary.
    expect(page.locator("header.pub-header")).to_be_visible()
    expect(page.locator("table.pub-table.requested")).to_contain_text(doc.document_number)
    # The spam protection is not seen: the honeypot lies off the screen, out of the tab
    # order and hidden from screen readers; the time stamp is a hidden field.
    honeypot = page.locator("input[name=website]")
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    assert honeypot.get_attribute("tabindex") == "-1"
    assert page.locator(".hp").get_attribute("aria-hidden") == "true"
    assert page.locator("input[name=started]").get_attribute("type") == "hidden"
    check("form")

    # Sent without an e-mail address: the errors, in Swedish, beside the field and at top.
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page).to_have_title(re.compile("^Fel: "))
    summary = page.locator(".pub-notice-error")
    expect(summary).to_contain_text("Kontrollera formuläret")
    expect(summary.get_by_role("link")).to_contain_text(
        "E-post: Ange en giltig e-postadress för svaret.")
    field = page.locator(".pub-field-error")
    expect(field).to_contain_text("Ange en giltig e-postadress för svaret.")
    email = page.get_by_label("E-post", exact=True)
    expect(email).to_have_attribute("aria-invalid", "true")
    assert "id_email-error" in email.get_attribute("aria-describedby")
    summary.get_by_role("link").click()
    expect(email).to_be_focused()
    check("form with errors")

    page.get_by_label("Namn (frivilligt)").fill("")
    email.fill("anna@example.se")
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.locator("h1")).to_have_text("Din begäran har kommit in")
    request = DisclosureRequest.objects.get()
    expect(page.locator("main")).to_contain_text(request.number)
    check("receipt")

    services.review_item(world["reg"], request.items.get(), Outcome.RELEASE)
    _delivery, token = services.deliver(world["reg"], request, "email_link")
    page.goto(live_server.url + services.link_path(token))
    expect(page.locator("h1")).to_have_text("Utlämnade handlingar")
    check("download page")

    page.goto(f"{live_server.url}/insyn/begar/?" + "&".join(["document=x"] * 51))
    expect(page.locator(".pub-notice-error")).to_be_visible()
    check("error page")
    assert problems == {}
