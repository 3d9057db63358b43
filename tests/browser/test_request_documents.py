"""A citizen finds a document in the public diary and asks for it anonymously from its
page, the registrator releases it with one mask drawn on the page, and the citizen
downloads the masked copy from the link in the answer: the masked words are gone from it,
the rest is there."""

import re
import subprocess

import pytest
from django.core import mail

from diarium.disclosure.models import DisclosureRequest
from tests.disclosure.conftest import CANARY, world  # noqa: F401  (the fixture)
from tests.workers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_request_masked_release_and_download(live_server, browser_page, world,  # noqa: F811
                                                       tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    doc = world["public"]

    # The citizen finds the document in the public diary and asks for it from there.
    page.goto(f"{live_server.url}/insyn/sok/?kind=documents&q=bygglov")
    page.get_by_role("link", name=doc.document_number, exact=True).click()
    page.get_by_role("link", name=re.compile("^Begär ut handlingen")).click()
    # The form names the document by its public fields; no name is given.
    expect(page).to_have_url(re.compile(rf"/insyn/begar/\?document={doc.pk}$"))
    expect(page.locator("h1")).to_have_text("Begär ut allmänna handlingar")
    expect(page.locator("table.requested")).to_contain_text(doc.document_number)
    expect(page.locator("table.requested")).to_contain_text("Ansökan om bygglov")
    page.get_by_label("Med e-post").check()
    page.get_by_label("E-post", exact=True).fill("anna@example.se")
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.locator("h1")).to_have_text("Din begäran har kommit in")
    request = DisclosureRequest.objects.get()
    assert request.requester_name == ""
    expect(page.locator("main")).to_contain_text(request.number)
    assert CANARY not in page.content()

    # The registrator: the list with the clock, the request, masking by drawing.
    page.goto(f"{live_server.url}/")
    page.get_by_label("Användarnamn").fill("reg")
    page.get_by_label("Lösenord").fill("x")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Begäranden").click()
    page.get_by_role("link", name=request.number).click()
    page.get_by_role("link", name="Lämna ut med maskering").click()
    page.get_by_label("Sekretessgrund för nya maskeringar").fill("OSL 21 kap. 7 §")
    image = page.locator(".mask-page[data-page='1'] img")
    expect(image).to_be_visible()
    image.evaluate("img => img.complete || new Promise(r => img.onload = r)")
    image.evaluate("img => img.scrollIntoView()")  # the mouse acts in the viewport
    box = image.bounding_box()
    # The personnummer line lies at 0.28-0.36 of the page's height.
    page.mouse.move(box["x"] + 0.04 * box["width"], box["y"] + 0.29 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.96 * box["width"], box["y"] + 0.35 * box["height"], steps=5)
    page.mouse.up()
    expect(page.locator(".mask-box")).to_have_count(1)
    expect(page.get_by_role("textbox", name="Maskeringar i fil 1:", exact=True)).to_have_value(
        re.compile(r"^1, .*OSL 21 kap\. 7 §$"))
    page.get_by_role("button", name="Gör den maskerade kopian").click()
    expect(page.locator(".messages")).to_contain_text("håller på att göras")
    run_jobs()  # a worker makes the copy
    page.reload()
    expect(page.locator("main")).to_contain_text("Lämnas ut med maskering")
    page.locator("select[name=method]").select_option("email_link")
    page.get_by_role("button", name="Lämna ut", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Utlämnat")

    # The citizen: the link from the answer, the masked copy.
    link = re.search(r"https?://\S+/insyn/utlamnande/\S+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + link[link.index("/insyn/"):])
    expect(page.locator("h1")).to_have_text("Utlämnade handlingar")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("maskerad")).click()
    copy = tmp_path / "copy.pdf"
    info.value.save_as(copy)
    text = subprocess.run(["pdftotext", str(copy), "-"], capture_output=True,
                          check=True).stdout.decode()
    assert "19800101" not in text
    assert "Ansökan sida 2" in text
