"""The case page's history, paged (newest page first): at 1366 and 390 px the pager is
reachable, the page has no sideways scroll and no serious or critical axe violation, and
"Tidigare händelser" leads to the earlier events, as a registrator and as an officer
outside a secret case's access group (who never reaches the page)."""

import os

import pytest
from django.db import transaction
from django.urls import reverse

from diarium.audit import services as audit
from diarium.registry import services
from tests import factories as f
from tests.browser.axe import axe_source, violations
from tests.browser.staff import ks_with_staff
from tests.browser.test_workspace import login, width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("DIARIUM_SCREENSHOTS")  # a folder to keep screenshots in, if set


def long_case(reg, ks, title: str, **kwargs):
    case = f.case(reg, ks, title, **kwargs)
    with transaction.atomic():
        audit.record_many(actor=reg, events=[audit.Pending(
            action="case.updated", obj=case, chain=f"authority:{case.authority_id}",
            case_id=case.pk, before={"title": f"Titel {n}"}, after={"title": f"Titel {n + 1}"})
            for n in range(1, 250)])
    return case


def test_a_long_history_is_paged_and_usable_on_a_phone(live_server, browser_page):
    ks, reg, _hans = ks_with_staff()
    case = long_case(reg, ks, "Detaljplan Ekbacken")
    secret = long_case(reg, ks, "Orosanmälan", secrecy=services.Secrecy("OSL 26:1"))
    axe = axe_source()
    login(browser_page, live_server.url, "rut")
    url = f"{live_server.url}{reverse('registry:case', args=[case.pk])}"
    for size in ((1366, 900), (390, 844)):
        browser_page.set_viewport_size({"width": size[0], "height": size[1]})
        browser_page.goto(url)
        history = browser_page.locator("section[aria-labelledby=history-heading]")
        assert "Ändringar (250)" in history.inner_text()
        assert "Sida 1 av 3 (nyaste först)" in history.inner_text()
        assert width(browser_page) <= size[0]
        assert violations(browser_page, axe) == []
        if SHOTS:
            browser_page.screenshot(path=f"{SHOTS}/history-{size[0]}.png", full_page=True)
        history.get_by_role("link", name="Tidigare händelser").click()
        browser_page.wait_for_url("**historik_sida=2**")
        assert "Sida 2 av 3" in browser_page.locator(
            "section[aria-labelledby=history-heading]").inner_text()
        assert violations(browser_page, axe) == []
    # An officer outside the secret case's access group sees its number, not its history.
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "hans")
    browser_page.goto(f"{live_server.url}{reverse('registry:case', args=[secret.pk])}")
    assert browser_page.locator("section[aria-labelledby=history-heading]").count() == 0
    assert "Titel 250" not in browser_page.content()
