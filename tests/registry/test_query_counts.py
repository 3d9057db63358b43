"""Query-count guards (NetBox-style): the case page and the case list make a fixed number
of queries, however many documents, files, parties, related cases, history events and
cases they show. The ceilings are the counts measured when the guard was written; a
change that makes a page do per-row queries fails here."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.registry import services
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = services.Secrecy("OSL 26:1")


def fill(reg, ks, case, rows: int) -> None:
    """rows documents (every other one secret, each with a file), parties, related cases."""
    for n in range(rows):
        f.document(reg, case, f"Handling {n}", secrecy=SECRET if n % 2 else services.Secrecy(),
                   uploads=[services.Upload(io.BytesIO(b"x%d" % n), f"fil{n}.txt")])
        party = services.create_party(reg, kind="person", name=f"Part {n}")
        services.add_party(reg, case, party)
        other = f.case(reg, ks, f"Relaterat {n}", secrecy=SECRET if n % 2 else services.Secrecy())
        services.relate_cases(reg, case, other)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


@pytest.fixture
def world():
    ks = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ks.authority: "registrar"})
    web = Client()
    web.force_login(reg)
    api = APIClient()
    api.force_authenticate(reg)
    return ks, reg, web, api


# 22: the quick actions' choices (officers, the access group's candidates) are one query
# each, whatever the case holds; 23: the dispatches of the case's documents are one more
# (their recipients and lists are prefetched, one query each, when there are any).
CASE_PAGE_CEILING = 23
CASE_LIST_CEILING = 11
API_CASE_LIST_CEILING = 10


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_case_page(world, secret):
    ks, reg, web, _api = world
    counts = []
    for rows in (2, 10):
        case = f.case(reg, ks, "Ärendet", secrecy=SECRET if secret else services.Secrecy())
        fill(reg, ks, case, rows)
        counts.append(count(web, reverse("registry:case", args=[case.pk])))
    assert counts[0] == counts[1] and counts[1] <= CASE_PAGE_CEILING, counts


def test_case_list(world):
    ks, reg, web, api = world
    counts, api_counts = [], []
    for rows in (3, 20):
        for n in range(rows):
            f.case(reg, ks, f"Ärende {n}", secrecy=SECRET if n % 2 else services.Secrecy())
        counts.append(count(web, reverse("registry:search")))
        api_counts.append(count(api, "/api/v1/cases/"))
    assert counts[0] == counts[1] and counts[1] <= CASE_LIST_CEILING, counts
    assert api_counts[0] == api_counts[1] and api_counts[1] <= API_CASE_LIST_CEILING, api_counts


# Opening a case through the API, authenticated by a token as clients are: the token
# with its user and the user's roles (one query), the series, the board beside its public
# row (public/projector.prepare_new_cases, read and left as they are, before the number
# is taken); then the number (one UPDATE ... RETURNING, holding the counter's lock to the
# commit), the case, its public row (the projection from the object the registry saved),
# the registry's and the projection's search entries (one INSERT), and last its audit
# event (the chain head's lock, the event, the head; on PostgreSQL the event and the
# head are one statement; the head is made only for a chain's first event). The case is
# answered as the service wrote it, not read again: a new case has no parties, related
# cases nor archive copies. 11 with the transaction's BEGIN on SQLite, 9 on PostgreSQL
# (docs/performance.md, section 2).
API_CREATE_CEILING = 11
# Of them, made while the series' number is locked (after its UPDATE): the case, its
# public row, the search entries, the audit event's (three on SQLite, two on PostgreSQL).
API_CREATE_LOCKED_CEILING = 6


def test_api_case_create(world, django_assert_max_num_queries):
    _ks, reg, _web, _api = world
    out = io.StringIO()
    call_command("token", reg.username, stdout=out)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    assert api.post("/api/v1/cases/", {"series": "KS", "title": "Första"},
                    format="json").status_code == 201
    with django_assert_max_num_queries(API_CREATE_CEILING) as queries:
        response = api.post("/api/v1/cases/", {"series": "KS", "title": "Bygglov"},
                            format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["diarienummer"].endswith("/2") and body["title"] == "Bygglov"
    assert body["parties"] == [] and body["related_cases"] == [] and body["archived_in"] == []
    assert not any("roleassignment" in q["sql"] and "apitoken" not in q["sql"]
                   for q in queries.captured_queries), "the roles are read with the token"
    sqls = [q["sql"] for q in queries.captured_queries]
    [number] = [i for i, sql in enumerate(sqls) if sql.startswith("UPDATE")
                and "registry_diarycounter" in sql]
    assert len(sqls) - number - 1 <= API_CREATE_LOCKED_CEILING, sqls[number:]
