"""An officer writes a tjänsteskrivelse (TJUT) in a case from the authority's template,
uploads an edited version, makes it final (fastställ), and sees the PDF/A badge and the
preview of the first page once the background job has made them."""

import io
import re
import shutil

import pytest
from docx import Document as Docx

from diarium.core.actors import DEMO
from diarium.registry import demo_templates
from diarium.registry.models import Document
from tests import factories as f
from tests.workers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(shutil.which("soffice") is None,
                                 reason="LibreOffice is needed")]


def test_tjut_from_template_edited_and_finalised(live_server, browser_page, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    olle = f.user("olle", roles={ks.authority: "officer"}, first_name="Olle",
                  last_name="Ek")
    case = f.case(olle, ks, "Ny förskola i Norrby", responsible_officer=olle)
    demo_templates.install(DEMO, ks.authority.municipality, {})

    page.goto(f"{live_server.url}/")
    page.get_by_label("Användarnamn").fill("olle")
    page.get_by_label("Användarnamn").press("Tab")
    page.keyboard.type("x")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Mina ärenden")

    # A draft from the TJUT template, on the case page.
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    page.get_by_role("link", name="Nytt utkast").click()
    expect(page.locator("h1")).to_have_text("Nytt utkast")
    page.get_by_label("Mall").select_option(label="Tjänsteskrivelse")
    page.get_by_label(re.compile(r"^Beskrivning")).fill("Tjänsteskrivelse om ny förskola")
    page.get_by_role("button", name="Skapa utkastet").click()
    expect(page.locator(".messages")).to_contain_text("Utkast KS ")
    expect(page.locator("h1 .badge.draft")).to_have_text("Utkast")
    doc = Document.objects.get(case=case)

    # The officer edits the file in Word or LibreOffice and uploads it as version 2.
    first = doc.versions.get()
    from diarium.documents.services import open_content

    with open_content(first.content) as stream:
        edited = Docx(io.BytesIO(stream.read()))
    edited.add_paragraph("Förvaltningen föreslår att förskolan byggs i Norrby centrum.")
    path = tmp_path / "Tjänsteskrivelse.docx"
    edited.save(str(path))
    page.locator("form.version-upload").get_by_label("Fil:", exact=True).set_input_files(
        str(path))
    page.locator("form.version-upload").get_by_label("Anteckning").fill("Förslaget skrivet")
    page.get_by_role("button", name="Spara den nya versionen").click()
    expect(page.locator(".messages")).to_contain_text("Den nya versionen är sparad")
    expect(page.locator("table.version-list tbody tr")).to_have_count(2)

    # Fastställ: the draft becomes the final, registered document.
    page.get_by_role("button", name="Fastställ").click()
    expect(page.locator(".messages")).to_contain_text("Handlingen är fastställd")
    expect(page.locator(".badge.final")).to_contain_text("version 2")

    # The worker makes the PDF/A and the preview; the page shows them.
    run_jobs()
    page.reload()
    expect(page.locator("a.badge.pdfa")).to_contain_text("PDF/A-2b")
    preview = page.locator(".previews img").first
    expect(preview).to_be_visible()
    preview.scroll_into_view_if_needed()  # loading="lazy": fetched when it comes into view
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=preview.element_handle())
