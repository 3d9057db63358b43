"""The staff pages against WCAG 2.1 AA with axe-core: each role's main pages, at a desktop
width (1366 px) and a phone's (390 px), have no serious or critical violation."""

import io

import pytest
from django.urls import reverse

from diarium.core.actors import MAIL
from diarium.registry import services
from tests import factories as f
from tests.browser.axe import axe_source, violations
from tests.browser.staff import ks_with_staff
from tests.browser.test_workspace import login
from tests.mailmessages import message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1366, 900), (390, 844)]


def staff_world() -> dict[str, list[str]]:
    """Users of every role and the pages each of them works on."""
    ks, reg, hans = ks_with_staff()
    f.user("adam", roles={ks.authority: "administrator"})
    f.user("ark", roles={ks.authority: "archivist"})
    case = f.case(reg, ks, "Bygglov Storgatan 1", responsible_officer=hans)
    anna = services.create_party(reg, kind="person", name="Anna Andersson")
    services.add_party(reg, case, anna, "sökande")
    doc = f.document(reg, case, "Ansökan om bygglov", party=anna, uploads=[
        services.Upload(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "ansokan.pdf")])
    services.receive_message(MAIL, ks.authority, message("Fråga om bygglov"), source="mailbox")
    case_page = reverse("registry:case", args=[case.pk])
    return {
        "rut": ["/", reverse("registry:register"), case_page,
                reverse("registry:document", args=[doc.pk]),
                reverse("registry:search") + "?q=bygglov", reverse("registry:inbox"),
                reverse("registry:worklist", args=["myndighetens"])],
        "hans": [case_page, reverse("registry:case_edit", args=[case.pk]),
                 reverse("registry:worklist", args=["mina"]), reverse("registry:ageing"),
                 reverse("registry:document_search") + "?q=bygglov&sender=Anna",
                 reverse("registry:reminders")],
        "adam": [reverse("web:users"), reverse("plan:plan_index"), reverse("web:shortcuts"),
                 reverse("registry:templates")],
        "ark": [reverse("archive:packages"), reverse("archive:search")],
    }


def test_every_roles_pages_have_no_serious_accessibility_violation(live_server,
                                                                    browser_page):
    axe = axe_source()
    pages = staff_world()
    problems = {}
    for username, paths in pages.items():
        browser_page.context.clear_cookies()
        login(browser_page, live_server.url, username)
        for width, height in WIDTHS:
            browser_page.set_viewport_size({"width": width, "height": height})
            for path in paths:
                response = browser_page.goto(f"{live_server.url}{path}")
                assert response.status == 200, (username, path, response.status)
                assert browser_page.evaluate("document.documentElement.lang") == "sv"
                found = violations(browser_page, axe)
                if found:
                    problems[f"{username} {width}px {path}"] = found
    assert problems == {}
