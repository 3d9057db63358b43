"""The public diary's pages against WCAG 2.1 AA with axe-core (from the npm registry,
installed by ./dev test into .cache/npm, injected by Playwright into Debian's chromium):
no serious or critical violation on any of them, the search results, the secret case
and the error pages included."""

import pytest

from diarium.public.models import PublicFile
from tests.browser.axe import axe_source, violations
from tests.public.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_have_no_serious_accessibility_violation(live_server, browser_page):
    axe = axe_source()
    pw = build()
    assert PublicFile.objects.exists()
    pages = ["/insyn/", "/insyn/sok/?q=bygglov", "/insyn/sok/?kind=documents&authority=KS",
             "/insyn/sok/?date_from=2026-05-01&date_to=2026-01-01",
             f"/insyn/arende/{pw.open_case.pk}/", f"/insyn/arende/{pw.secret_case.pk}/",
             f"/insyn/handling/{pw.letter.pk}/", f"/insyn/handling/{pw.secret_doc.pk}/",
             "/insyn/postlista/", "/insyn/postlista/KS/?dagar=31", "/insyn/register/",
             "/insyn/oppna-data/", "/insyn/arende/00000000-0000-0000-0000-000000000000/",
             f"/insyn/begar/?document={pw.letter.pk}", "/insyn/anslagstavla/",
             "/insyn/anslagstavla/arkiv/", "/insyn/moten/"]
    problems = {}
    for path in pages:
        browser_page.goto(f"{live_server.url}{path}")
        assert browser_page.evaluate("document.documentElement.lang") == "sv"
        found = violations(browser_page, axe)
        if found:
            problems[path] = found
    assert problems == {}


def test_the_public_search_form_fits_a_phone(live_server, browser_page):
    """A select is as wide as its longest option: a board with a long name must not make
    the start page scroll sideways at 390 px."""
    from tests import factories as f

    build()
    ofn = f.series(f.authority("ÖFN", name="Gemensamma överförmyndarnämnden Sjövik, "
                                           "Björkfors och Ekeryd med ett ännu längre namn"), "ÖFN")
    f.case(f.user(roles={ofn.authority: "registrar"}), ofn)  # the board is then public
    browser_page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/insyn/", "/insyn/sok/?q=bygglov"):
        browser_page.goto(f"{live_server.url}{path}")
        assert "Ekeryd" in browser_page.content(), path
        assert browser_page.evaluate("document.documentElement.scrollWidth") <= 390, path
