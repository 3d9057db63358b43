"""A registrator registers an incoming letter with a file in a new case, by keyboard as far
as a browser allows, sees it on the case page and downloads the file again."""

import re
from pathlib import Path

import pytest

from tests import factories as f

LETTER = b"%PDF-1.4\n% Ett brev fr\xc3\xa5n Anna\n" + bytes(range(256)) * 20

DESCRIPTION = re.compile(r"^Beskrivning")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_incoming_letter_and_download_it(live_server, browser_page, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    f.user("rut", roles={ks.authority: "registrar"})
    letter = tmp_path / "brev från Anna.pdf"
    letter.write_bytes(LETTER)

    # Log in: the login form, typed and submitted with Enter.
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("Logga in")
    page.get_by_label("Användarnamn").focus()
    page.keyboard.type("rut")
    page.keyboard.press("Tab")
    page.keyboard.type("x")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Mina ärenden")

    # The skip link is the first stop for the keyboard.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()

    # Register: new case is the default; the only series is preselected.
    page.get_by_role("link", name="Registrera inkommande handling").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Registrera inkommande handling")
    expect(page.get_by_label("Öppna ett nytt ärende")).to_be_checked()
    page.get_by_label("Ärendemening").focus()
    page.keyboard.type("Bygglov Storgatan 1, Anna Andersson")
    page.keyboard.press("Tab")  # the public title follows the title
    page.keyboard.type("Bygglov Storgatan 1")
    page.get_by_label(DESCRIPTION).focus()
    page.keyboard.type("Ansökan om bygglov")
    page.keyboard.press("Tab")
    page.keyboard.type("Ansökan om bygglov")
    page.keyboard.press("Tab")
    page.keyboard.type("Anna Andersson")
    page.get_by_label("Filer:", exact=True).set_input_files(str(letter))
    page.get_by_label(DESCRIPTION).focus()
    page.keyboard.press("Enter")  # implicit submission from a text field

    # The case page: the message with the document number, the document and its file.
    expect(page.locator(".messages")).to_contain_text("Registrerad som KS ")
    message = page.locator(".messages").inner_text()
    number = message.split("Registrerad som ", 1)[1].rstrip(".").strip()
    expect(page.locator("h1")).to_contain_text("Bygglov Storgatan 1, Anna Andersson")
    row = page.locator("table.documents tbody tr").first
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("Inkommande")
    expect(row).to_contain_text("Ansökan om bygglov")

    with page.expect_download() as info:
        row.get_by_role("link", name="brev från Anna.pdf").focus()
        page.keyboard.press("Enter")
    download = info.value
    # Led by the document's number ("KS 2026/1:1" made portable), so it is unique in the case.
    portable = number.replace("/", "_").replace(":", "_")
    assert download.suggested_filename == f"{portable} brev från Anna.pdf"
    assert Path(download.path()).read_bytes() == LETTER
