"""Page budgets: the case page (up to 200 documents and 1 000 history events), the work
lists (/arbetslistor/) and the search page make a fixed number of queries, whatever the
number of rows they show. Rows are written in bulk here (the services would take
minutes for a thousand events); what is counted is the page's reads."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diarium.audit import services as audit
from diarium.organisation.models import Administration, Unit
from diarium.registry import indexing, services
from diarium.registry.models import Case, Document
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = services.Secrecy("OSL 26:1")
CASE_PAGE_BUDGET = 22
WORK_LIST_BUDGET = 12
SEARCH_PAGE_BUDGET = 12


def count(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        assert response.status_code == 200
    return len(queries)


@pytest.fixture
def world():
    ks = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ks.authority: "registrar"})
    web = Client()
    web.force_login(reg)
    return ks, reg, web


def add_documents(case: Case, start: int, rows: int) -> None:
    """rows documents, every other one secret, with a search entry each."""
    docs = [Document(case=case, number=n, direction="incoming", title=f"Handling {n} remiss",
                     document_date=dt.date(2026, 1, 1), registered_at=timezone.now(),
                     secrecy_provision="OSL 26:1" if n % 2 else "")
            for n in range(start, start + rows)]
    Document.objects.bulk_create(docs)
    Case.objects.filter(pk=case.pk).update(document_count=start + rows - 1)
    indexing.index_many([], docs)


def add_events(reg, case: Case, rows: int) -> None:
    with transaction.atomic():
        audit.record_many(actor=reg, events=[
            audit.Pending(action="case.updated", obj=case, chain=f"authority:{case.authority_id}",
                          case_id=case.pk, before={"title": f"t{n}"}, after={"title": f"t{n + 1}"})
            for n in range(rows)])


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_case_page_with_200_documents_and_1000_events(world, secret):
    ks, reg, web = world
    case = f.case(reg, ks, "Ärendet", secrecy=SECRET if secret else services.Secrecy())
    add_documents(case, 1, 3)
    add_events(reg, case, 3)
    url = reverse("registry:case", args=[case.pk])
    few = count(web, url)
    add_documents(case, 4, 197)
    add_events(reg, case, 997)
    many = count(web, url)
    assert few == many <= CASE_PAGE_BUDGET, (few, many)


def bulk_cases(reg, ks, first: int, rows: int) -> None:
    """rows open cases of the registrator's, every third one secret, indexed."""
    made = [Case(series=ks, authority=ks.authority, year=2025, number=n,
                 diary_number=f"KS 2025/{n}", title=f"Remiss nummer {n}", opened_at=timezone.now(),
                 responsible_officer=reg, responsible_unit=reg.unit,
                 follow_up_date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                 secrecy_provision="OSL 26:1" if n % 3 == 0 else "")
            for n in range(first, first + rows)]
    Case.objects.bulk_create(made)
    indexing.index_many([(c, []) for c in made], [])


@pytest.mark.parametrize("slug", ["mina", "enhetens", "myndighetens"])
def test_work_lists(world, slug):
    ks, reg, web = world
    administration = Administration.objects.create(
        municipality=ks.authority.municipality, name="Förvaltningen")
    reg.unit = Unit.objects.create(administration=administration, name="Enheten")
    reg.save(update_fields=["unit"])
    url = reverse("registry:worklist", args=[slug])
    bulk_cases(reg, ks, 1, 3)
    # The list audits the secret cases shown; the board's very first audit event also
    # creates its chain head (two statements, once per board), so it is not counted.
    count(web, url)
    few = count(web, url)
    bulk_cases(reg, ks, 4, 60)
    many = count(web, url)
    assert few == many <= WORK_LIST_BUDGET, (few, many)


def test_search_page(world):
    ks, reg, web = world
    url = reverse("registry:search")
    bulk_cases(reg, ks, 1, 3)
    count(web, url, {"q": "remiss"})  # the board's first audit event (see test_work_lists)
    few = count(web, url, {"q": "remiss"})
    bulk_cases(reg, ks, 4, 60)
    many = count(web, url, {"q": "remiss"})
    assert few == many <= SEARCH_PAGE_BUDGET, (few, many)
