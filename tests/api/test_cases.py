import datetime as dt

import pytest
from django.utils import timezone

from diarium.audit.models import AuditEvent
from diarium.registry import services
from diarium.registry.models import Case
from tests import factories as f
from tests.api.conftest import CANARY, assert_problem, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def test_minimal_create_answers_201_with_diarienummer(api, ks):
    response = api.post(URL, {"series": "KS", "title": "Medborgarförslag om parkbänkar"},
                        format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    year = timezone.localdate().year
    assert body["diarienummer"] == f"KS {year}/1"
    case = Case.objects.get(pk=body["id"])
    assert case.diary_number == body["diarienummer"] and case.title == body["title"]
    assert body["status"] == "open" and body["series"] == "KS" and body["authority"] == "KS"
    assert body["is_secret"] is False and body["redacted"] is False and body["secrecy"] is None


def test_create_with_all_fields(api, ks, officer):
    response = api.post(URL, {
        "series": "KS", "title": "Bygglov Storgatan 1", "public_title": "Bygglov",
        "classification_code": "3.1.2", "responsible_officer": "officer",
        "follow_up_date": "2030-01-31",
        "secrecy": {"provision": "OSL 21:1", "withhold_parties": True},
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["responsible_officer"] == "officer" and body["follow_up_date"] == "2030-01-31"
    assert body["secrecy"]["provision"] == "OSL 21 kap. 1 §"
    assert body["secrecy"]["authority"] == "KS"
    assert body["secrecy"]["withhold_parties"] is True and body["is_secret"] is True


def test_unknown_series_is_a_field_error(api, ks):
    body = assert_problem(api.post(URL, {"series": "XX", "title": "t"}, format="json"), 400)
    assert "XX" in body["errors"]["series"][0]
    assert not Case.objects.exists()


@pytest.mark.parametrize("series", [None, 17, ["KS"], {"code": "KS"}, "ks", "KS' OR 1=1 --",
                                    "K" * 5000, "KS\x00"])
def test_a_series_not_given_as_its_exact_code_is_a_field_error(api, ks, series):
    body = assert_problem(api.post(URL, {"series": series, "title": "t"}, format="json"), 400)
    assert set(body["errors"]) == {"series"}
    assert not Case.objects.exists()


def test_missing_title_is_a_field_error(api, ks):
    body = assert_problem(api.post(URL, {"series": "KS"}, format="json"), 400)
    assert set(body["errors"]) == {"title"}


def test_malformed_json_is_a_problem(api, ks):
    response = api.post(URL, data='{"series": "KS", "title": ', content_type="application/json")
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_series_of_an_authority_without_registering_role_is_forbidden(ks, bun):
    reader = f.user(roles={ks.authority: "reader", bun.authority: "registrar"})
    response = client_for(reader).post(URL, {"series": "KS", "title": "t"}, format="json")
    assert_problem(response, 403)
    assert not Case.objects.exists()


def test_unauthenticated_is_401_problem(ks):
    from rest_framework.test import APIClient

    assert_problem(APIClient().get(URL), 401)


def test_another_authoritys_secret_case_does_not_exist(outsider, bun_secret_case, ks, registrator):
    other = client_for(registrator)
    assert_problem(other.get(f"{URL}{bun_secret_case.pk}/"), 404)
    assert_problem(other.get(f"{URL}{bun_secret_case.pk}/history/"), 404)
    assert_problem(other.post(f"{URL}{bun_secret_case.pk}/close/", {}, format="json"), 404)
    listed = other.get(URL).json()
    assert bun_secret_case.diary_number not in str(listed) and CANARY not in str(listed)
    # A public case of another authority is readable (but not changeable).
    public = f.case(outsider, bun_secret_case.series, title="Öppet ärende")
    assert other.get(f"{URL}{public.pk}/").json()["title"] == "Öppet ärende"
    assert_problem(other.patch(f"{URL}{public.pk}/", {"title": "x"}, format="json"), 403)


def test_malformed_id_is_404(api):
    assert_problem(api.get(f"{URL}not-a-uuid/"), 404)


def test_secret_case_outside_access_group_is_a_stub(secret_case, officer):
    response = client_for(officer).get(f"{URL}{secret_case.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": str(secret_case.pk), "diarienummer": secret_case.diary_number,
        "is_secret": True, "redacted": True,
    }
    listed = client_for(officer).get(URL).json()["results"]
    assert listed == [body]
    assert CANARY not in response.content.decode() + str(listed)
    assert_problem(client_for(officer).get(f"{URL}{secret_case.pk}/history/"), 404)
    assert not AuditEvent.objects.filter(action="secret.read").exists()


def test_secret_read_is_audited(api, secret_case, registrator):
    body = api.get(f"{URL}{secret_case.pk}/").json()
    assert CANARY in body["title"] and body["redacted"] is False
    reads = AuditEvent.objects.filter(action="secret.read", case_id=secret_case.pk)
    assert reads.count() == 1 and reads.get().actor == registrator
    api.get(URL)  # a list showing the content is a read too
    assert reads.count() == 2


def test_granted_access_lifts_the_stub(api, secret_case, officer):
    response = api.post(f"{URL}{secret_case.pk}/access/", {"user": "officer"}, format="json")
    assert response.status_code == 200, response.content
    body = client_for(officer).get(f"{URL}{secret_case.pk}/").json()
    assert body["redacted"] is False and CANARY in body["title"]
    assert AuditEvent.objects.filter(action="secret.read", actor=officer).count() == 1


def test_grant_access_to_unknown_user_is_a_field_error(api, secret_case):
    body = assert_problem(
        api.post(f"{URL}{secret_case.pk}/access/", {"user": "nobody"}, format="json"), 400
    )
    assert "user" in body["errors"]


def test_partial_update_changes_only_given_fields(api, ks, registrator):
    case = f.case(registrator, ks, title="Gammal", secrecy=services.Secrecy(provision="OSL 26:1"))
    response = api.patch(f"{URL}{case.pk}/", {"title": "Ny"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Ny" and body["secrecy"]["provision"] == "OSL 26 kap. 1 §"
    response = api.patch(f"{URL}{case.pk}/", {"secrecy": None}, format="json")
    assert response.json()["secrecy"] is None and response.json()["title"] == "Ny"
    event = AuditEvent.objects.filter(action="case.updated").first()
    assert event.before == {"title": "Gammal"} and event.after == {"title": "Ny"}


def test_close_reopen_dormant_void(api, ks, registrator):
    case = f.case(registrator, ks)
    url = f"{URL}{case.pk}"
    closed = api.post(f"{url}/close/", {"note": "Beslut fattat"}, format="json").json()
    assert closed["status"] == "closed" and closed["closing_note"] == "Beslut fattat"
    assert closed["closed_at"]
    assert api.post(f"{url}/reopen/").json()["status"] == "open"
    assert api.post(f"{url}/dormant/").json()["status"] == "dormant"
    body = assert_problem(api.post(f"{url}/dormant/"), 400)
    assert "status" in body["errors"]
    assert_problem(api.post(f"{url}/void/", {"reason": ""}, format="json"), 400)
    voided = api.post(f"{url}/void/", {"reason": "Felregistrerat"}, format="json").json()
    assert voided["status"] == "voided" and voided["void_reason"] == "Felregistrerat"
    still = api.get(f"{url}/").json()
    assert still["status"] == "voided" and still["diarienummer"] == case.diary_number


def test_officer_may_not_void(ks, registrator, officer):
    case = f.case(registrator, ks, responsible_officer=officer)
    response = client_for(officer).post(f"{URL}{case.pk}/void/", {"reason": "x"}, format="json")
    assert_problem(response, 403)


def test_relate_by_id_and_number_but_not_to_invisible_cases(api, ks, registrator,
                                                            bun_secret_case):
    a, b, c = f.case(registrator, ks), f.case(registrator, ks), f.case(registrator, ks)
    response = api.post(f"{URL}{a.pk}/relate/", {"case": str(b.pk)}, format="json")
    assert response.json()["related_cases"] == [b.diary_number]
    response = api.post(f"{URL}{a.pk}/relate/", {"diarienummer": c.diary_number}, format="json")
    assert response.json()["related_cases"] == sorted([b.diary_number, c.diary_number])
    assert api.get(f"{URL}{b.pk}/").json()["related_cases"] == [a.diary_number]
    url = f"{URL}{a.pk}/relate/"
    assert_problem(api.post(url, {"case": str(bun_secret_case.pk)}, format="json"), 404)
    number = bun_secret_case.diary_number
    assert_problem(api.post(url, {"diarienummer": number}, format="json"), 404)
    assert_problem(api.post(url, {}, format="json"), 400)


def test_add_party_shows_masked_identity(api, ks, registrator):
    case = f.case(registrator, ks)
    party = services.create_party(registrator, kind="person", name="Anna Andersson",
                                  identity_number="19121212-1212")
    url = f"{URL}{case.pk}/parties/"
    response = api.post(url, {"party": str(party.pk), "role": "sökande"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["parties"] == [{
        "party": str(party.pk), "kind": "person", "name": "Anna Andersson",
        "identity_number": "19121212-XXXX", "role": "sökande",
    }]
    body = assert_problem(api.post(url, {"party": str(case.pk)}, format="json"), 400)
    assert "party" in body["errors"]


def test_history_hides_values_of_secret_documents(ks, registrator, officer):
    case = f.case(registrator, ks, title="Öppet ärende")
    doc = f.document(registrator, case, title=f"Läkarintyg {CANARY}",
                     secrecy=services.Secrecy(provision="OSL 25:1"))
    response = client_for(officer).get(f"{URL}{case.pk}/history/")
    assert response.status_code == 200
    events = response.json()["results"]
    assert [e["action"] for e in events] == ["case.opened", "document.registered"]
    registered = events[1]
    assert registered["object_id"] == str(doc.pk) and registered["redacted"] is True
    assert registered["after"] is None and CANARY not in response.content.decode()
    full = client_for(registrator).get(f"{URL}{case.pk}/history/").json()["results"]
    assert CANARY in full[1]["after"]["title"] and full[0]["actor"] == "reg"


def _cases_for_filters(registrator, ks, officer):
    a = f.case(registrator, ks, title="Detaljplan för Norrmalm", responsible_officer=officer)
    b = f.case(registrator, ks, title="Skolskjuts")
    c = f.case(registrator, ks, title="Bygglov Norrmalm")
    services.close_case(registrator, c, "klart")
    party = services.create_party(registrator, kind="organisation", name="Bygg AB")
    services.add_party(registrator, b, party)
    return a, b, c


def test_list_filters(api, ks, registrator, officer, bun, outsider):
    a, b, c = _cases_for_filters(registrator, ks, officer)
    other = f.case(outsider, bun, title="Norrmalm skola")

    def numbers(query: str) -> set[str]:
        response = api.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return {r["diarienummer"] for r in response.json()["results"]}

    assert numbers("") == {a.diary_number, b.diary_number, c.diary_number, other.diary_number}
    assert numbers("authority=BUN") == {other.diary_number}
    assert numbers("status=closed") == {c.diary_number}
    assert numbers("q=norrmalm&authority=KS") == {a.diary_number, c.diary_number}
    assert numbers("party=bygg") == {b.diary_number}
    assert numbers(f"diary_number={a.diary_number}") == {a.diary_number}
    assert numbers(f"diary_number=KS {a.year}/") == {a.diary_number, b.diary_number,
                                                       c.diary_number}
    # The old names, deprecated until the next release: diarienummer and Swedish codes.
    assert numbers(f"diarienummer={a.diary_number}") == {a.diary_number}
    assert numbers("status=avslutat") == {c.diary_number}
    today = timezone.localdate()
    assert len(numbers(f"opened_from={today}&opened_to={today}")) == 4
    assert numbers(f"opened_from={today + dt.timedelta(days=1)}") == set()
    mine = client_for(officer).get(f"{URL}?mine=true").json()["results"]
    assert [r["diarienummer"] for r in mine] == [a.diary_number]
    body = assert_problem(api.get(f"{URL}?opened_from=igår&status=x"), 400)
    assert set(body["errors"]) == {"opened_from", "status"}


def test_pagination(api, ks, registrator):
    cases = [f.case(registrator, ks, title=f"Ärende {i}") for i in range(5)]
    first = api.get(f"{URL}?page_size=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    assert first["results"][0]["diarienummer"] == cases[-1].diary_number  # newest first
    last = api.get(f"{URL}?page_size=2&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert last["results"][0]["diarienummer"] == cases[0].diary_number
    assert_problem(api.get(f"{URL}?page=99"), 404)
