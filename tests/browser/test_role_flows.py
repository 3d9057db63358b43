"""Issue 9: each role's main flow in a real browser, at a desktop width (1366 px) and a
phone's (390 px), with axe-core on every page it visits and no sideways scrolling:

- registrator: an incoming letter with a party (picked by type-ahead) and a file, into
  a new case; the steps and keystrokes it takes are counted and printed (docs/registry.md);
- case officer: edit the case, reassign it, set a follow-up date;
- administrator: give a user a role.
"""

import re

import pytest

from diarium.organisation.models import RoleAssignment
from diarium.registry import services
from diarium.registry.models import Case, Document
from tests import factories as f
from tests.browser.axe import axe_source, violations
from tests.browser.staff import ks_with_staff
from tests.browser.test_workspace import login, width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1366, 900), (390, 844)]
LETTER = b"%PDF-1.4\n% Ett brev\n%%EOF\n"


class Counted:
    """The user's own actions in a flow: each step (a field filled, a choice, a click or
    a key) and each key pressed."""

    def __init__(self, page) -> None:
        self.page, self.steps, self.keys = page, 0, 0

    def type(self, locator, text: str) -> None:
        locator.focus()
        self.page.keyboard.type(text)
        self.steps += 1
        self.keys += len(text)

    def press(self, locator, key: str) -> None:
        locator.press(key)
        self.steps += 1
        self.keys += 1

    def click(self, locator) -> None:
        locator.click()
        self.steps += 1

    def choose(self, locator, **option) -> None:
        locator.select_option(**option)
        self.steps += 1

    def files(self, locator, path) -> None:
        locator.set_input_files(str(path))
        self.steps += 1


class Checked:
    """axe-core and the page width, on every page the flow comes to."""

    def __init__(self, page, phone: bool) -> None:
        self.page, self.phone, self.axe, self.problems = page, phone, axe_source(), {}

    def __call__(self, label: str) -> None:
        self.page.wait_for_load_state("load")
        found = violations(self.page, self.axe)
        if found:
            self.problems[label] = found
        if self.phone:
            assert width(self.page) <= 390, (label, width(self.page))


@pytest.fixture
def world():
    ks, reg, hans = ks_with_staff()
    f.user("olle", roles={ks.authority: "officer"}, first_name="Olle", last_name="Ek")
    f.user("adam", roles={ks.authority: "administrator"}, first_name="Adam", last_name="Admin")
    nora = f.user("nora", first_name="Nora", last_name="Ny",
                  home_municipality=ks.authority.municipality)
    services.create_party(reg, kind="person", name="Anna Andersson",
                          identity_number="19811218-9876")
    return {"ks": ks, "reg": reg, "hans": hans, "nora": nora}


@pytest.mark.parametrize(("size"), WIDTHS, ids=["1366px", "390px"])
def test_the_registrator_registers_a_letter_with_a_party_and_a_file(
        live_server, browser_page, world, tmp_path, size):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    check = Checked(page, size[0] == 390)
    letter = tmp_path / "brev.pdf"
    letter.write_bytes(LETTER)
    login(page, live_server.url, "rut")
    check("home")

    user = Counted(page)
    user.click(page.get_by_role("link", name="Registrera inkommande handling"))
    expect(page.locator("h1")).to_have_text("Registrera inkommande handling")
    check("register")
    user.type(page.get_by_label("Ärendemening"), "Bygglov Storgatan 1")
    user.type(page.get_by_label(re.compile(r"^Beskrivning")), "Ansökan om bygglov")
    user.type(page.get_by_label("Sök part"), "Anna And")
    expect(page.locator("#party-results")).to_contain_text("Anna Andersson")
    user.click(page.get_by_label("Anna Andersson"))
    user.files(page.get_by_label("Filer:", exact=True), letter)
    user.click(page.get_by_role("button", name="Registrera"))
    expect(page.locator(".message.success")).to_contain_text("Registrerad som KS")
    check("case after registration")

    doc = Document.objects.get()
    assert doc.party.name == "Anna Andersson" and doc.files.count() == 1
    assert doc.case.title == "Bygglov Storgatan 1"
    print(f"\nregistration of a letter with a party and a file at {size[0]} px: "
          f"{user.steps} steps, {user.keys} keystrokes")
    assert check.problems == {}


@pytest.mark.parametrize(("size"), WIDTHS, ids=["1366px", "390px"])
def test_the_officer_edits_reassigns_and_sets_a_follow_up_date(
        live_server, browser_page, world, size):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    check = Checked(page, size[0] == 390)
    case = f.case(world["reg"], world["ks"], "Detaljplan Norr", responsible_officer=world["hans"])
    login(page, live_server.url, "hans")
    check("home")
    page.get_by_role("link", name=case.diary_number).first.click()
    expect(page.locator("h1")).to_contain_text("Detaljplan Norr")
    check("case")

    page.get_by_role("link", name="Ändra ärendet").click()
    check("edit")
    page.get_by_label(re.compile(r"^Ärendemening")).fill("Detaljplan Norra staden")
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.locator("h1")).to_contain_text("Detaljplan Norra staden")
    check("case after edit")

    page.get_by_label(re.compile(r"^Bevakningsdatum")).fill("2030-01-15")
    page.get_by_role("button", name="Sätt bevakningsdatum").click()
    expect(page.locator(".message.success")).to_be_visible()
    check("case after follow-up")

    page.get_by_label("Ny ansvarig handläggare").select_option(label="Olle Ek")
    page.get_by_role("button", name="Byt handläggare").click()
    expect(page.locator(".message.success")).to_contain_text("ny ansvarig handläggare")
    check("case after reassignment")

    case = Case.objects.get(pk=case.pk)
    assert case.title == "Detaljplan Norra staden"
    assert case.follow_up_date.isoformat() == "2030-01-15"
    assert case.responsible_officer.username == "olle"
    assert check.problems == {}


@pytest.mark.parametrize(("size"), WIDTHS, ids=["1366px", "390px"])
def test_the_administrator_gives_a_user_a_role(live_server, browser_page, world, size):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    check = Checked(page, size[0] == 390)
    login(page, live_server.url, "adam")
    page.goto(f"{live_server.url}/administration/anvandare/")
    check("users")
    page.get_by_role("link", name=re.compile("Nora")).first.click()
    check("user")
    page.get_by_label("Myndighet:", exact=True).select_option(label="Kommunstyrelsen (KS)")
    page.get_by_label("Roll:", exact=True).select_option(label="Handläggare")
    page.get_by_role("button", name="Ge rollen").click()
    expect(page.locator(".message.success")).to_be_visible()
    check("user after role")
    assert RoleAssignment.objects.filter(user=world["nora"], role="officer",
                                         authority=world["ks"].authority).exists()
    assert check.problems == {}
