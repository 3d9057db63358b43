"""A member's personal link on a phone (390 px wide): the meeting list and the agenda
fit the screen without sideways scrolling, a private note is saved, and the pages pass
axe-core's WCAG 2.1 AA rules."""

import datetime as dt

import pytest
from django.utils import timezone

from diarium.board.models import MemberNote
from diarium.board.services import agenda, member_links, notices
from tests.board.world import make_world
from tests.browser.axe import axe_source, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_member_link_on_a_phone(live_server, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    world = make_world()
    _case, proposal = world.ready_case("Ombyggnad av Storgatans förskola med en mycket "
                                       "lång rubrik som ska radbrytas på en telefon")
    meeting = agenda.create_meeting(world.secretary, world.body,
                                    timezone.localdate() + dt.timedelta(days=5),
                                    dt.time(18), "Kommunhuset, sessionssalen")
    item = agenda.add_case_item(world.secretary, meeting, proposal)
    notices.send_notice(world.secretary, meeting)
    _link, token = member_links.issue_link(world.secretary, world.member("m1"))
    axe = axe_source()

    page.goto(f"{live_server.url}{member_links.link_path(token)}")
    expect(page.locator("h1")).to_contain_text("Mina sammanträden")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations(page, axe) == []
    page.get_by_role("link", name="Kommunstyrelsen").click()
    expect(page.locator("h2").first).to_contain_text("Ombyggnad av Storgatans förskola")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations(page, axe) == []
    page.get_by_label("Min privata anteckning").fill("Fråga om kostnaden")
    page.get_by_role("button", name="Spara anteckningen").click()
    expect(page.get_by_label("Min privata anteckning")).to_have_value("Fråga om kostnaden")
    assert MemberNote.objects.get(item=item, member=world.member("m1")).text == (
        "Fråga om kostnaden")
