"""Issue 9, finding 8: the registration form's long selects (the ~200 record types of the
sample plan, the officers) get a type-ahead filter field (web/static/web/filterable.js),
usable by keyboard and at phone width; without scripts the plain select remains."""

import datetime as dt

import pytest
from django.urls import reverse

from diarium.core.actors import OPERATOR
from diarium.plan import services as plan_services
from diarium.plan.sample import BASE_FILE
from diarium.registry.models import Document
from tests import factories as f
from tests.browser.axe import axe_source, violations
from tests.browser.test_workspace import login, width
from tests.plan import factories as pf
from tests.registry.plan_world import adopt_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [(1366, 900), (390, 844)]


def sample_plan_world():
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    plan = pf.base_plan(ks.authority)
    draft = plan_services.import_plan(OPERATOR, plan, BASE_FILE.read_bytes(), "csv").version
    base = pf.adopt(draft, dt.date(2025, 1, 1))
    adopt_for(ks.authority, base)
    f.user("rut", roles={ks.authority: "registrar"})
    return ks


@pytest.mark.parametrize("size", SIZES, ids=["1366", "390"])
def test_typing_part_of_a_name_finds_the_record_type(live_server, browser_page, size):
    sample_plan_world()
    page, axe = browser_page, axe_source()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, live_server.url, "rut")
    page.goto(f"{live_server.url}{reverse('registry:register')}")
    select = page.locator("select[name=record_type]")
    total = select.locator("option").count()
    assert total > 200
    assert violations(page, axe) == []

    # The filter field has its own label; typing narrows the list and says how much.
    search = page.get_by_label("Sök handlingstyp")
    search.press_sequentially("ansökan bygg")
    names = select.locator("option").all_inner_texts()
    assert "Ansökan om bygglov" in names and len(names) < 6, names
    assert page.locator("#id_record_type-filter-count").inner_text() == f"1 av {total - 1} visas"
    # A short select (the case's officer: one to choose from) gets no filter.
    assert page.locator("#id_responsible_officer-filter").count() == 0
    assert violations(page, axe) == []
    assert width(page) <= size[0]
    # Enter chooses the first match (without sending the form) and moves to the list.
    search.press("Enter")
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "Ansökan om bygglov"
    assert select.evaluate("s => s === document.activeElement")
    assert page.url.endswith(reverse("registry:register"))
    # Emptying the filter gives back every option, the choice kept.
    search.fill("")
    search.dispatch_event("input")
    assert select.locator("option").count() == total
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "Ansökan om bygglov"

    page.locator("#id_case_title").fill("Bygglov Storgatan 1")
    page.locator("#id_title").fill("Ansökan om bygglov")
    page.get_by_role("button", name="Registrera", exact=True).click()
    page.wait_for_selector("text=Registrerad som")
    assert Document.objects.get().rule.name == "Ansökan om bygglov"


def test_without_scripts_the_plain_select_remains(live_server, browser_page):
    sample_plan_world()
    browser = browser_page.context.browser
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    login(page, live_server.url, "rut")
    page.goto(f"{live_server.url}{reverse('registry:register')}")
    assert page.locator(".select-filter").count() == 0
    page.locator("select[name=record_type]").select_option(label="Bygglovsbeslut")
    context.close()
