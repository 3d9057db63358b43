"""The registrator registers an e-mail from the inbox into an existing case, signs the
case's final decision (PAdES, with a key from the test PKI), then dispatches it to its
parties by e-mail, through a real SMTP server (aiosmtpd in this process), and sees each
party's outcome on the dispatch and case pages. The parties receive the signed PDF: the
digital original."""

import io
import re

import pytest

from diarium.core.actors import MAIL
from diarium.registry import services
from tests import factories as f
from tests import pki, smtpserver
from tests.documents.signing.conftest import sample_pdf, write_trust
from tests.documents.signing.test_workflow import give_key
from tests.mailmessages import message
from tests.registry.dispatch.conftest import configure
from tests.workers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signing_pki(tmp_path, settings):
    made = pki.signing_pki(["Rut Registrator"])
    write_trust(tmp_path, made, settings)
    return made


def signable_decision(actor, case):
    """A final decision (drafted, fastställd) with its PDF/A rendition made."""
    doc = services.create_draft(actor, case, services.DocumentData(
        direction="outgoing", title="Beslut om bygglov", document_date=case.opened_at.date()),
        services.Upload(io.BytesIO(sample_pdf("Beslut: bygglov beviljas.")), "beslut.pdf"))
    doc = services.finalise(actor, doc)
    run_jobs()  # the real processing makes the PDF/A that is signed
    return doc


@pytest.fixture
def smtp():
    server = smtpserver.start()
    yield server
    server.stop()


def test_register_mail_then_sign_and_dispatch_the_decision(live_server, browser_page, smtp,
                                                           signing_pki):
    from playwright.sync_api import expect

    page = browser_page
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    rut = f.user("rut", roles={ks.authority: "registrar"})
    configure(ks.authority, smtp)
    case = f.case(rut, ks, "Bygglov Storgatan 1")
    for name, email in (("Anna Andersson", "anna@example.org"), ("Bo Bygg AB", "bo@example.org")):
        party = services.create_party(rut, kind="person", name=name, email=email)
        services.add_party(rut, case, party, "sökande")
    decision = signable_decision(rut, case)
    give_key(rut, signing_pki, "Rut Registrator")
    services.receive_message(MAIL, ks.authority, message(
        "Komplettering till bygglov", sender="Anna <anna@example.org>"), source="mailbox")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Användarnamn").fill("rut")
    page.get_by_label("Lösenord").fill("x")
    page.get_by_label("Lösenord").press("Enter")
    expect(page.locator("h1")).to_have_text("Mina ärenden")

    # The inbox: the mail goes into the existing case.
    page.goto(f"{live_server.url}/inkorg/")
    page.locator("tr", has_text="Komplettering till bygglov").get_by_role(
        "link", name="Hantera").click()
    expect(page.locator("h1")).to_contain_text("Komplettering till bygglov")
    page.get_by_label("Lägg till i ett befintligt ärende").check()
    page.get_by_label("Det befintliga ärendets diarienummer").fill(case.diary_number)
    page.get_by_label(re.compile(r"^Beskrivning")).first.fill("Komplettering från Anna")
    page.get_by_role("button", name="Registrera").click()
    expect(page.locator(".messages")).to_contain_text(case.diary_number)

    # The decision's page: dispatch it to the case's parties (both are chosen already).
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    expect(page.locator("table.documents")).to_contain_text("Komplettering från Anna")
    page.get_by_role("link", name=decision.document_number, exact=True).click()

    # Sign it: the registrator asks for her own signature, then signs when it is her turn.
    page.get_by_role("combobox", name=re.compile("^Signerare 1")).select_option(value=str(rut.pk))
    page.get_by_label("Roll för signerare 1").fill("beslutsfattare")
    page.get_by_role("button", name="Begär signering").click()
    page.get_by_role("button", name="Signera", exact=True).click()
    expect(page.locator("section.signatures")).to_contain_text("Signerad av alla")
    expect(page.locator("table.signature-steps")).to_contain_text("giltig")

    page.get_by_role("link", name="Expediera").click()
    expect(page.get_by_label("Anna Andersson")).to_be_checked()
    expect(page.get_by_label("Bo Bygg AB")).to_be_checked()
    expect(page.get_by_label("E-post")).to_be_checked()
    page.get_by_role("button", name="Expediera").click()
    expect(page.locator(".messages")).to_contain_text("E-posten skickas")

    run_jobs()  # the worker's part: the job sends
    page.reload()
    rows = page.locator("table.recipients tbody tr")
    expect(rows).to_have_count(2)
    for n in range(2):
        expect(rows.nth(n)).to_contain_text("Skickad")
        expect(rows.nth(n)).to_contain_text("250")
    assert smtp.recipients == ["anna@example.org", "bo@example.org"]
    assert all(case.diary_number in got.message["Subject"] for got in smtp.received)
    for got in smtp.received:  # the signed PDF, not the unsigned rendition
        attached = [part.get_content() for part in got.message.iter_attachments()]
        assert len(attached) == 1 and b"/ByteRange" in attached[0]

    page.goto(f"{live_server.url}/handlingar/{decision.pk}/")
    expect(page.locator("table.dispatches")).to_contain_text("Anna Andersson, Bo Bygg AB")
    expect(page.locator("dl.facts").first).to_contain_text("Expedierad")
