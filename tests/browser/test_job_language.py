"""A job's state, kept up to date by web/static/web/jobs.js from the API, stays in the
page's language when the browser prefers another (the staff UI is Swedish whatever the
browser says; the API answers in the language it is asked for)."""

import pytest
from django.urls import reverse

from diarium.core.jobs import services
from tests import factories as f
from tests.browser.test_workspace import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_polled_job_state_stays_swedish_in_an_english_browser(live_server, browser_page):
    starter = f.user("rut", roles={f.authority("KS"): "registrar"})
    job = services.start("core.probe", actor=starter, params={"steps": 1})  # stays queued
    from playwright.sync_api import expect

    english = browser_page.context.browser.new_context(locale="en-US")
    page = english.new_page()
    try:
        login(page, live_server.url, "rut")
        page.goto(f"{live_server.url}{reverse('core:job', args=[job.pk])}")
        label = page.locator('[data-job-field="state_label"]')
        assert label.inner_text() == "Köad"  # as rendered
        # jobs.js polls after a second and every second after: mark the rendered label,
        # then wait until an answer from the API has been written over it.
        label.evaluate("element => { element.textContent = '-' }")
        expect(label).not_to_have_text("-")
        assert label.inner_text() == "Köad"
        assert page.locator("html").get_attribute("lang") == "sv"
    finally:
        english.close()
