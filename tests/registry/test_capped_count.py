"""The case search counts exactly up to a cap and says "more than" past it, in the UI
("Över 1 000 träffar") and in the API (`count_capped`); every page stays reachable."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.core import pagination
from diarium.core.pagination import CappedPaginator
from diarium.registry.models import Case
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    ks = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ks.authority: "registrar"})
    for n in range(7):
        f.case(reg, ks, f"Bygglov nr{n}")
    return reg


def test_paginator_is_exact_up_to_the_cap():
    ks = f.series()
    f.case(f.user(roles={ks.authority: "registrar"}), ks)
    exact = CappedPaginator(Case.objects.all(), 2, cap=4)
    assert (exact.count, exact.capped) == (1, False)


def test_paginator_past_the_cap_counts_to_the_asked_page(seven):
    qs = Case.objects.order_by("diary_number")
    first = CappedPaginator(qs, 2)
    assert (first.count, first.capped, first.num_pages) == (5, True, 3)
    far = CappedPaginator(qs, 2, wanted=4)  # rows 7-8: one row there, so exact again
    assert (far.count, far.capped) == (7, False)
    assert [c.title for c in far.page(4).object_list] == ["Bygglov nr6"]


def test_api_says_the_count_is_capped(seven):
    api = APIClient()
    api.force_authenticate(seven)
    body = api.get("/api/v1/cases/", {"q": "bygglov", "page_size": 2}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (5, True, 2)
    assert body["next"]
    last = api.get("/api/v1/cases/", {"q": "bygglov", "page_size": 2, "page": 4}).json()
    assert (last["count"], last["count_capped"], len(last["results"])) == (7, False, 1)
    assert api.get("/api/v1/cases/", {"page_size": 2, "page": 5}).status_code == 404
    exact = api.get("/api/v1/cases/", {"q": "bygglov nr3"}).json()
    assert (exact["count"], exact["count_capped"]) == (1, False)


def test_search_page_says_more_than(seven, monkeypatch):
    from diarium.core import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    web = Client()
    web.force_login(seven)
    page = web.get(reverse("registry:search"), {"q": "bygglov"}).content.decode()
    assert "Över 4 träffar" in page and "Sida 1<" in page
    page = web.get(reverse("registry:search"), {"q": "bygglov nr3"}).content.decode()
    assert "1 ärende" in page
