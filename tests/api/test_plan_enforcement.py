"""The plan in the API: record types on documents, warnings, disposal, holds and the
disposal report."""

import datetime as dt

import pytest
from django.http import StreamingHttpResponse

from diarium.registry import services
from tests import factories as f
from tests.api.conftest import assert_problem, client_for
from tests.registry.plan_world import register, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


@pytest.fixture
def case(w):
    return f.case(w.registrator, w.ks)


def create(client, case, **fields):
    body = {"case": str(case.pk), "direction": "incoming", "title": "Handling",
            "document_date": "2026-01-02", **fields}
    return client.post("/api/v1/documents/", body, format="json")


def test_document_with_a_record_type_shows_rule_disposal_and_defaults(w, case):
    response = create(client_for(w.registrator), case, record_type="Orosanmälan")
    assert response.status_code == 201, response.content
    body = response.json()
    rule = w.rule("Orosanmälan")
    assert body["record_type"] == {"id": str(rule.record_type_id), "name": "Orosanmälan",
                                   "process": "1.2.1", "process_name": "Bereda ärenden"}
    assert body["rule"]["id"] == str(rule.pk) and body["rule"]["plan_version"] == 1
    assert body["rule"]["default_secrecy"] == "OSL 26:1"
    assert body["secrecy"]["provision"] == "OSL 26 kap. 1 §"  # the plan's default
    assert body["disposal"] == {"outcome": "undetermined", "date": None, "held": True,
                                "no_longer_current_on": None, "disposed_at": None,
                                "disposed_under": ""}
    assert body["warnings"] == []


def test_explicit_empty_secrecy_and_record_type_by_id(w, case):
    rule = w.rule("Orosanmälan")
    body = create(client_for(w.registrator), case, record_type=str(rule.record_type_id),
                  secrecy_provision="").json()
    assert body["secrecy"] is None and body["rule"]["id"] == str(rule.pk)


def test_kept_in_order_is_registered_with_a_warning(w, case):
    body = create(client_for(w.registrator), case, record_type="Kallelse").json()
    assert [x["code"] for x in body["warnings"]] == ["kept_in_order"]
    assert "Protokollsserien" in body["warnings"][0]["message"]
    wrong = create(client_for(f.user(roles={w.bun.authority: "registrar"})),
                   f.case(f.user(roles={w.bun.authority: "registrar"}), w.bun),
                   record_type="Motion").json()
    assert [x["code"] for x in wrong["warnings"]] == ["wrong_series"]


def test_unknown_record_type_is_a_problem(w, case):
    body = assert_problem(create(client_for(w.registrator), case, record_type="Ansökan"), 400)
    assert "record_type" in str(body)


def test_closing_gives_the_date_and_reopening_clears_it(w, case):
    api = client_for(w.registrator)
    doc = create(api, case, record_type="Yttrande").json()
    api.post(f"/api/v1/cases/{case.pk}/close/", {}, format="json")
    body = api.get(f"/api/v1/documents/{doc['id']}/").json()
    year = dt.date.today().year
    assert body["disposal"] == {"outcome": "date", "date": f"{year + 2}-12-31", "held": False,
                                "no_longer_current_on": None, "disposed_at": None,
                                "disposed_under": ""}
    api.post(f"/api/v1/cases/{case.pk}/reopen/", {}, format="json")
    body = api.get(f"/api/v1/documents/{doc['id']}/").json()
    assert body["disposal"] == {"outcome": "undetermined", "date": None, "held": True,
                                "no_longer_current_on": None, "disposed_at": None,
                                "disposed_under": ""}


def test_record_type_action(w, case):
    doc = register(w.registrator, case)
    response = client_for(w.archivist).post(f"/api/v1/documents/{doc.pk}/record-type/",
                                            {"record_type": "Kvitto"}, format="json")
    assert response.status_code == 200 and response.json()["record_type"]["name"] == "Kvitto"
    officer = f.user(roles={w.ks.authority: "officer"})
    response = client_for(officer).post(f"/api/v1/documents/{doc.pk}/record-type/",
                                        {"record_type": ""}, format="json")
    assert_problem(response, 403)


def due_document(w):
    case = f.case(w.registrator, w.ks)
    doc = register(w.registrator, case, "Kvitto", document_date=dt.date(2024, 1, 10))
    services.close_case(w.registrator, case)
    return case, doc


def test_holds_api(w):
    case, _doc = due_document(w)
    api = client_for(w.archivist)
    response = api.post("/api/v1/holds/", {"case": str(case.pk), "reason": "Tvist"},
                        format="json")
    assert response.status_code == 201, response.content
    hold = response.json()
    assert hold["is_active"] and hold["kind"] == "legal" and hold["placed_by"] == "ark"
    assert api.get("/api/v1/disposal-report/").json() == []
    released = api.post(f"/api/v1/holds/{hold['id']}/release/", {"note": "Klar"},
                        format="json").json()
    assert not released["is_active"] and released["release_note"] == "Klar"
    assert api.get("/api/v1/holds/").json()["count"] == 1
    assert_problem(api.post("/api/v1/holds/", {"reason": "x"}, format="json"), 400)


def test_holds_on_another_authority_or_by_others_are_refused(w):
    _case, doc = due_document(w)
    bun_archivist = f.user(roles={w.bun.authority: "archivist"})
    body = {"document": str(doc.pk), "reason": "Tvist"}
    assert_problem(client_for(bun_archivist).post("/api/v1/holds/", body, format="json"), 404)
    assert_problem(client_for(w.registrator).post("/api/v1/holds/", body, format="json"), 404)
    hold = client_for(w.archivist).post("/api/v1/holds/", body, format="json").json()
    assert_problem(client_for(bun_archivist).get(f"/api/v1/holds/{hold['id']}/"), 404)
    assert client_for(bun_archivist).get("/api/v1/holds/").json()["count"] == 0


def test_disposal_report_summary_pages_and_csv(w):
    _case, doc = due_document(w)
    due_document(w)
    api = client_for(w.archivist)
    summary = api.get("/api/v1/disposal-report/").json()
    assert [(g["authority"], g["record_type"], g["count"]) for g in summary] == [
        ("KS", "Kvitto", 2)]
    page = api.get("/api/v1/disposal-report/documents/?page_size=1&authority=KS").json()
    assert page["count"] == 2 and len(page["results"]) == 1
    assert page["results"][0]["document_number"].startswith("KS ")
    assert api.get("/api/v1/disposal-report/?on=2024-06-01").json() == []
    response = api.get("/api/v1/disposal-report/csv/")
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffmyndighet;") and str(doc.pk) in text
    assert len(text.strip().splitlines()) == 3


def test_disposal_report_is_for_archivists_of_the_authority(w):
    due_document(w)
    assert_problem(client_for(w.registrator).get("/api/v1/disposal-report/"), 403)
    assert_problem(client_for(w.registrator).get("/api/v1/disposal-report/csv/"), 403)
    bun_archivist = f.user(roles={w.bun.authority: "archivist"})
    assert_problem(client_for(bun_archivist).get("/api/v1/disposal-report/?authority=KS"), 404)
    assert client_for(bun_archivist).get("/api/v1/disposal-report/").json() == []
    admin = f.user(roles={w.ks.authority: "administrator"})
    assert len(client_for(admin).get("/api/v1/disposal-report/").json()) == 1
