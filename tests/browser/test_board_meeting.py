"""A whole meeting in the browser: two cases ready for decision → the agenda → the
kallelse, e-mailed to the members through the registry's dispatch (a real local SMTP
server) → attendance and one vote → the minutes, final and out for justering → two real
PAdES signatures made in the browser (the chair, then the justerare, each with their own
key) → extracts in both cases, e-mailed to the cases' parties → the notice on the public
board with its dates."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from diarium.board import deadlines
from diarium.board.models import CaseDecision, Meeting
from diarium.documents.signing.evidence import read_all
from diarium.documents.signing.trust import configured_trust
from diarium.documents.signing.validation import validate_pdf
from diarium.registry import services as registry
from diarium.registry.models import DocumentFile
from tests import smtpserver
from tests.board.test_sending import configure
from tests.board.world import make_world
from tests.workers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url, username):
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("h1")).to_have_text("Logga in")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("x")
    page.get_by_label("Lösenord").press("Enter")


def _logout(page):
    page.get_by_role("button", name="Logga ut").click()


@pytest.fixture
def smtp():
    server = smtpserver.start()
    yield server
    server.stop()


def test_a_whole_meeting_in_the_browser(live_server, browser_page, signing, smtp):
    from playwright.sync_api import expect

    page = browser_page
    world = make_world()
    signing(world, "chair", "m1")  # their logins read the minutes and hold a signing key
    configure(world.authority, smtp)
    case1, _p1 = world.ready_case("Detaljplan för kv. Eken")
    case2, _p2 = world.ready_case("Taxa för bygglov 2027")
    for case, email in ((case1, "eken@example.org"), (case2, "bygg@example.org")):
        party = registry.create_party(world.officer, kind="organisation",
                                      name=f"Sökande {email}", email=email)
        registry.add_party(world.officer, case, party, "sökande")
    today = timezone.localdate()

    _login(page, f"{live_server.url}/sammantraden/", world.secretary.username)
    expect(page.locator("h1")).to_have_text("Sammanträden")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Tid").fill("13:00")
    page.get_by_label("Plats").fill("Sessionssalen")
    page.get_by_role("button", name="Skapa sammanträde").click()
    expect(page.locator("#meeting-status")).to_have_text("Planerat")

    # The agenda: both ready cases, the second moved up by keyboard (the Up button).
    for _ in range(2):
        page.get_by_role("button", name=re.compile("^Lägg på föredragningslistan")).first.click()
    items = page.locator("li.agenda-item")
    expect(items).to_have_count(2)
    items.nth(1).get_by_role("button", name=re.compile("^Upp")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("li.agenda-item").nth(0)).to_contain_text("Taxa för bygglov 2027")

    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(page.locator("#meeting-status")).to_have_text("Kallelse skickad")
    run_jobs()  # the worker's part: the registry's job sends the e-mails
    assert smtp.recipients == ["chair@example.se", "m1@example.se", "sub@example.se",
                               "vice@example.se"]
    page.reload()
    expect(page.locator("table.sending tr.sending-sent")).to_have_count(4)

    # Attendance: the chair and two members present, the substitute absent.
    for name in ("Anna Ordförande", "Bo Vice", "Cecilia Ledamot"):
        page.get_by_label(f"Närvaro {name}").select_option(label="Närvarande")
    page.get_by_label("Närvaro David Ersättare").select_option(label="Frånvarande")
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_role("checkbox", name="Cecilia Ledamot").check()
    page.get_by_role("button", name="Välj justerare").click()

    # The first item with a vote, then both decided from their proposals.
    first = page.locator("li.agenda-item").nth(0)
    first.locator("summary", has_text="Omröstning").click()
    first.get_by_label("Anna Ordförande").select_option(label="Ja")
    first.get_by_label("Bo Vice").select_option(label="Nej")
    first.get_by_label("Cecilia Ledamot").select_option(label="Ja")
    first.get_by_label("Utfall").fill("Bifall till förslaget med 2 röster mot 1")
    first.get_by_role("button", name="Registrera omröstningen").click()
    for n in range(2):
        page.locator("li.agenda-item").nth(n).get_by_role(
            "button", name=re.compile("^Besluta")).click()
    expect(page.locator("li.agenda-item").nth(1)).to_contain_text("§ 2")
    page.get_by_role("button", name=re.compile("^Skapa protokollet")).click()
    expect(page.locator("#meeting-status")).to_have_text("Ute för justering")
    meeting = Meeting.objects.get()
    _logout(page)

    # The chair signs first, then the justerare, each with their own login.
    for key in ("chair", "m1"):
        _login(page, f"{live_server.url}/ledamot/{meeting.pk}/", world.member(key).user.username)
        page.get_by_role("button", name="Justera protokollet").click()
        expect(page.get_by_role("button", name="Justera protokollet")).to_have_count(0)
        _logout(page)

    meeting.refresh_from_db()
    assert meeting.justered_on == today
    for case in (case1, case2):
        decision = CaseDecision.objects.get(case=case)
        assert decision.extract.case_id == case.pk
        assert decision.extract.title.startswith("Protokollsutdrag")
    # The minutes' signed PDF (the file that goes to the archive): two valid PAdES
    # signatures, the chair's and then the justerare's.
    signed = DocumentFile.objects.get(document=meeting.minutes_document,
                                      original_name__endswith="-signerad.pdf")
    # (validated in a thread of its own: Playwright's event loop runs in this one)
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(validate_pdf, read_all(signed.content), configured_trust()
                             ).result()
    assert report["valid"] and [s["role"] for s in report["signatures"]] == [
        "ordförande", "justerare"]
    run_jobs()
    assert {"eken@example.org", "bygg@example.org"} <= set(smtp.recipients)
    _login(page, f"{live_server.url}/sammantraden/{meeting.pk}/", world.secretary.username)
    expect(page.locator("#signature-steps li")).to_have_count(2)
    expect(page.locator("table.sending tr.sending-sent")).to_have_count(4 + 2)
    _logout(page)

    # The notice on the public board, without login, with the right dates.
    page.goto(f"{live_server.url}/insyn/anslagstavla/")
    notice = page.locator("article.notice")
    expect(notice).to_have_count(1)
    expect(notice.locator(".posted-on")).to_have_text(today.isoformat())
    last = deadlines.appeal_last_day(today)
    expect(notice.locator(".appeal-last-day")).to_have_text(last.isoformat())
    expect(notice.locator(".taken-down-on")).to_have_text(
        deadlines.notice_period(today).taken_down.isoformat())
