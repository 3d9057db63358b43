import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from diarium.registry import services
from diarium.registry.models import Case
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


def search(client, **params) -> str:
    response = client.get(reverse("registry:search"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def cases(ks, registrator):
    bygg = f.case(registrator, ks, "Bygglov Storgatan")
    skola = f.case(registrator, ks, "Skolskjuts Lisa")
    party = services.create_party(registrator, kind="organisation", name="Byggbolaget AB")
    services.add_party(registrator, bygg, party)
    services.close_case(registrator, skola)
    return bygg, skola


def test_search_by_free_text(cases, reg_client):
    html = search(reg_client, q="bygglov")
    assert "Bygglov Storgatan" in html and "Skolskjuts" not in html


def test_the_old_parameter_names_still_search(cases, reg_client):
    """text, date_from and date_to were renamed to the API's q, opened_from, opened_to;
    links with the old names work until the next release."""
    # The day it was opened where the search counts days: the local date (between
    # midnight in Stockholm and midnight UTC the UTC date is the day before).
    today = timezone.localdate(Case.objects.first().opened_at)
    html = search(reg_client, text="bygglov")
    assert "Bygglov Storgatan" in html and "Skolskjuts" not in html
    assert 'name="q" value="bygglov"' in html  # the form shows the new name
    later = (today + dt.timedelta(days=1)).isoformat()
    assert "Bygglov" not in search(reg_client, date_from=later)
    assert "Bygglov" not in search(reg_client, date_to=(today - dt.timedelta(days=1)).isoformat())


def test_search_by_diary_number_status_and_party(cases, reg_client):
    _bygg, skola = cases
    html = search(reg_client, diary_number=skola.diary_number)
    assert "Skolskjuts" in html and "Bygglov" not in html
    html = search(reg_client, status="closed")
    assert "Skolskjuts" in html and "Bygglov" not in html
    html = search(reg_client, party="Byggbolaget")
    assert "Bygglov Storgatan" in html and "Skolskjuts" not in html


def test_search_by_authority_and_dates(cases, reg_client, registrator):
    bun = f.series(f.authority("BUN"), "BUN")
    f.case(f.user(roles={bun.authority: "registrar"}), bun, "Förskoleplats")
    html = search(reg_client, authority="BUN")
    assert "Förskoleplats" in html and "Bygglov" not in html
    # The day it was opened where the search counts days: the local date (between
    # midnight in Stockholm and midnight UTC the UTC date is the day before).
    today = timezone.localdate(Case.objects.first().opened_at)
    assert "Bygglov" in search(reg_client, opened_from=today.isoformat())
    assert "Bygglov" not in search(reg_client,
                                   opened_to=(today - dt.timedelta(days=1)).isoformat())


def test_inverted_date_range_is_an_error(reg_client):
    html = search(reg_client, opened_from="2026-02-01", opened_to="2026-01-01")
    assert "Slutdatumet ligger före startdatumet." in html


def test_secret_cases_show_as_stubs(ks, registrator):
    case = f.case(registrator, ks, "Orosanmälan", secrecy=services.Secrecy(provision="OSL 26:1"))
    client = logged_in(f.user(roles={ks.authority: "officer"}))
    html = search(client, diary_number=case.diary_number)
    assert case.diary_number in html and "Sekretessmarkerad" in html
    assert "Orosanmälan" not in html


def test_results_are_paginated(ks, registrator, reg_client):
    for i in range(30):
        f.case(registrator, ks, f"Ärende {i}")
    first = search(reg_client, q="ärende")
    assert "30 ärenden" in first and first.count('scope="row"') == 25
    second = search(reg_client, q="ärende", page=2)
    assert second.count('scope="row"') == 5
    assert "q=%C3%A4rende" in first  # the page links keep the criteria
