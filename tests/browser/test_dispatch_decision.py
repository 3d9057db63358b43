"""The registrator registers an e-mail from the inbox into an existing case, then
dispatches the case's final decision to its parties by e-mail, through a real SMTP server
(aiosmtpd in this process), and sees each party's outcome on the dispatch and case pages.

The decision takes the same path whether it is signed or not: the dispatch sends the file
that dispatch.services.file_to_send chooses for the final document (its PDF/A)."""

import re

import pytest

from diarium.core.actors import MAIL
from diarium.registry import services
from tests import factories as f
from tests import smtpserver
from tests.mailmessages import message
from tests.registry.dispatch.conftest import configure, final_decision
from tests.workers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp():
    server = smtpserver.start()
    yield server
    server.stop()


def test_register_mail_then_dispatch_the_decision_to_the_parties(live_server, browser_page,
                                                                 smtp):
    from playwright.sync_api import expect

    page = browser_page
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    rut = f.user("rut", roles={ks.authority: "registrar"})
    configure(ks.authority, smtp)
    case = f.case(rut, ks, "Bygglov Storgatan 1")
    for name, email in (("Anna Andersson", "anna@example.org"), ("Bo Bygg AB", "bo@example.org")):
        party = services.create_party(rut, kind="person", name=name, email=email)
        services.add_party(rut, case, party, "sökande")
    decision = final_decision(rut, case)
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

    page.goto(f"{live_server.url}/handlingar/{decision.pk}/")
    expect(page.locator("table.dispatches")).to_contain_text("Anna Andersson, Bo Bygg AB")
    expect(page.locator("dl.facts").first).to_contain_text("Expedierad")
