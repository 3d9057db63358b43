"""The case search as a registrator types it, at 1366 and 390 px: the last word typed
matches the start of longer words and joining words ("om") are looked past, with no
sideways scroll and no serious or critical axe violation; an officer outside a secret
case's access group does not find it by its words."""

import os

import pytest
from django.urls import reverse

from diarium.registry import services
from tests import factories as f
from tests.browser.axe import axe_source, violations
from tests.browser.staff import ks_with_staff
from tests.browser.test_workspace import login, width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("DIARIUM_SCREENSHOTS")  # a folder to keep screenshots in, if set

# The words of the results table that are laid out over more than one line (broken
# mid-word): a range over each word has one box per line it covers.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main table"),
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (range.getClientRects().length > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


def test_words_as_typed_find_the_case_and_a_secret_one_stays_hidden(live_server,
                                                                    browser_page):
    ks, reg, _hans = ks_with_staff()
    f.case(reg, ks, "Bygglov för fritidshus vid Storgatan")
    f.case(reg, ks, "Skolskjuts Ekbacken")
    secret = f.case(reg, ks, "Orosanmälan fritidshus", secrecy=services.Secrecy("OSL 26:1"),
                    public_title="Orosanmälan")
    axe = axe_source()
    login(browser_page, live_server.url, "rut")
    url = f"{live_server.url}{reverse('registry:search')}"
    for size in ((1366, 900), (390, 844)):
        browser_page.set_viewport_size({"width": size[0], "height": size[1]})
        browser_page.goto(url)
        words = browser_page.locator("main #id_q")
        words.fill("bygglov om fritids")
        words.press("Enter")
        browser_page.wait_for_url("**q=bygglov**")
        results = browser_page.locator("main").inner_text()
        assert "Bygglov för fritidshus vid Storgatan" in results
        assert "Skolskjuts" not in results
        assert width(browser_page) <= size[0]
        assert browser_page.evaluate(BROKEN_WORDS) == []
        assert violations(browser_page, axe) == []
        if SHOTS:
            browser_page.screenshot(path=f"{SHOTS}/search-{size[0]}.png", full_page=True)
    # The registrator finds the secret case by its words; an officer outside its access
    # group does not, and is not told it exists.
    browser_page.goto(f"{url}?q=orosanmälan")
    assert secret.diary_number in browser_page.locator("main").inner_text()
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "hans")
    browser_page.goto(f"{url}?q=orosanmälan")
    assert secret.diary_number not in browser_page.content()
    assert "Orosanmälan fritidshus" not in browser_page.content()
