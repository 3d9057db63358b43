"""One real browser (Debian's chromium through Playwright) per test."""

import shutil
from pathlib import Path

import pytest

from tests.board.signing import board_pki, signing  # noqa: F401  (fixtures)
from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    require(Path(CHROMIUM).exists() or bool(shutil.which("chromium")),
            "chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (fixtures, assertions) must still be allowed -- for this test only,
    # so that no later test or subprocess inherits the switch.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(accept_downloads=True, locale="sv-SE")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
