"""A curious colleague: the findings of the insider probe, each as a test that failed
before the visibility policy (issue 8, findings 1-5).

The world: two boards, KS and SN. SN has a secret case about a child (a canary in its
title) with a person who appears in no other case; KS has an open case."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.core.actors import MAIL
from diarium.organisation.models import Administration, Municipality, Unit
from diarium.registry import services
from diarium.registry.models import Document, InboxItem
from tests import factories as f
from tests.permissions.clients import api, ui

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-insider-5521"
PERSONNUMMER = "20120304-1239"
EMAIL = "kanarie.insider@example.se"


@pytest.fixture
def world():
    ks = f.series(f.authority("KS"), "KS")
    sn = f.series(f.authority("SN"), "SN")
    sn_reg = f.user("snreg", roles={sn.authority: "registrar"})
    ks_reg = f.user("ksreg", roles={ks.authority: "registrar"})
    secret = f.case(sn_reg, sn, f"Orosanmälan {CANARY}",
                    secrecy=services.Secrecy("OSL 26:1", withhold_title=True))
    child = services.create_party(sn_reg, kind="person", name=f"Barn {CANARY}",
                                  identity_number=PERSONNUMMER, email=EMAIL)
    services.add_party(sn_reg, secret, child, "barn")
    return {
        "ks": ks, "sn": sn, "sn_reg": sn_reg, "ks_reg": ks_reg, "secret": secret,
        "child": child, "open": f.case(ks_reg, ks, "Bygglov"),
        "ks_officer": f.user(roles={ks.authority: "officer"}),
        "sn_officer": f.user(roles={sn.authority: "officer"}),
        "sn_secretary": f.user(roles={sn.authority: "secretary"}),
    }


# --- 1. the party register ------------------------------------------------------------

@pytest.mark.parametrize("who", ["ks_reg", "ks_officer", "sn_officer", "sn_secretary"])
def test_a_secret_cases_party_is_not_in_the_register_for_others(world, who):
    client = api(world[who])
    for query in ("", "?q=Barn", f"?q={PERSONNUMMER}", "?q=201203041239", f"?q={EMAIL}"):
        response = client.get(f"/api/v1/parties/{query}")
        assert response.status_code == 200
        assert CANARY not in response.content.decode(), query
    assert client.get(f"/api/v1/parties/{world['child'].pk}/").status_code == 404


def test_the_access_group_finds_the_party_by_name_number_and_email(world):
    client = api(world["sn_reg"])
    for query in ("?q=barn", f"?q={PERSONNUMMER}", "?q=120304-1239", "?q=kanarie.insider"):
        names = [p["name"] for p in client.get(f"/api/v1/parties/{query}").json()["results"]]
        assert names == [f"Barn {CANARY}"], query
    member = world["sn_officer"]
    services.grant_case_access(world["sn_reg"], world["secret"], member)
    assert api(member).get(f"/api/v1/parties/{world['child'].pk}/").status_code == 200


def test_a_party_in_an_open_case_or_of_ones_own_making_is_visible(world):
    other = services.create_party(world["ks_reg"], kind="organisation", name="Bygg AB")
    assert api(world["ks_reg"]).get(f"/api/v1/parties/{other.pk}/").status_code == 200
    assert api(world["ks_officer"]).get(f"/api/v1/parties/{other.pk}/").status_code == 404
    services.add_party(world["ks_reg"], world["open"], other)
    assert api(world["sn_officer"]).get(f"/api/v1/parties/{other.pk}/").status_code == 200


def test_an_invisible_party_cannot_be_linked_to_reveal_it(world):
    client = api(world["ks_reg"])
    url = f"/api/v1/cases/{world['open'].pk}/parties/"
    response = client.post(url, {"party": str(world["child"].pk)}, format="json")
    assert response.status_code == 400 and CANARY not in response.content.decode()
    assert not world["open"].case_parties.exists()


def test_case_search_by_party_number_finds_no_secret_case(world):
    html = ui(world["sn_officer"]).get(reverse("registry:search"),
                                       {"party": PERSONNUMMER}).content.decode()
    assert world["secret"].diary_number not in html and CANARY not in html


# --- 2. writing into a secret case from outside its access group ---------------------

def test_api_document_into_a_secret_case_is_refused(world):
    body = {"case": str(world["secret"].pk), "direction": "incoming", "title": "Brev",
            "document_date": "2026-01-05"}
    response = api(world["sn_secretary"]).post("/api/v1/documents/", body, format="json")
    assert response.status_code == 403
    assert not Document.objects.filter(case=world["secret"]).exists()


def test_inbox_mail_into_a_secret_case_is_refused(world):
    mail = services.receive_mail(MAIL, world["sn"].authority, sender="Anmälare", subject="Brev")
    url = f"/api/v1/inbox/{mail.pk}/place/"
    response = api(world["sn_secretary"]).post(url, {"case": str(world["secret"].pk)},
                                               format="json")
    assert response.status_code == 403
    assert InboxItem.objects.get(pk=mail.pk).status == "new"
    assert not Document.objects.filter(case=world["secret"]).exists()


def test_the_registration_form_refuses_a_secret_case(world):
    response = ui(world["sn_secretary"]).post(reverse("registry:register"), {
        "target": "existing", "diary_number": world["secret"].diary_number,
        "title": "Brev", "document_date": "2026-01-05",
    })
    assert response.status_code == 200
    assert "Du får inte registrera handlingar i det här ärendet" in response.content.decode()
    assert not Document.objects.filter(case=world["secret"]).exists()


def test_the_case_page_refuses_the_same_user(world):
    url = reverse("registry:case_add_document", args=[world["secret"].pk])
    assert ui(world["sn_secretary"]).get(url).status_code == 403


def test_the_access_group_may_add(world):
    services.grant_case_access(world["sn_reg"], world["secret"], world["sn_secretary"])
    body = {"case": str(world["secret"].pk), "direction": "incoming", "title": "Brev",
            "document_date": "2026-01-05"}
    response = api(world["sn_secretary"]).post("/api/v1/documents/", body, format="json")
    assert response.status_code == 201, response.content


# --- 3. filters on fields a stub hides ------------------------------------------------

@pytest.mark.parametrize("param", [
    "direction=outgoing", "direction=incoming", "status=registered",
    "date_from=2026-01-01", "date_to=2026-01-01",
])
def test_document_filters_do_not_match_stubs(world, param):
    doc = f.document(world["sn_reg"], world["secret"], title=CANARY, direction="outgoing",
                     document_date=dt.date(2026, 1, 1))
    url = f"/api/v1/documents/?case={world['secret'].pk}&{param}"
    listed = api(world["sn_officer"]).get(url).json()
    assert str(doc.pk) not in json.dumps(listed)
    assert api(world["sn_officer"]).get(f"/api/v1/documents/?case={world['secret'].pk}"
                                        ).json()["count"] == 1  # the stub itself stays
    assert api(world["sn_reg"]).get(url).json()["count"] == (
        1 if param in ("direction=outgoing", "status=registered", "date_from=2026-01-01",
                       "date_to=2026-01-01") else 0)


def test_a_diary_number_search_does_not_reveal_another_boards_secret_case(world):
    """An exact number decides between exact and prefix search: a case that does not
    exist for the user must not change the result."""
    for n in range(2, 12):  # SN 2026/2 … SN 2026/11, public
        f.case(world["sn_reg"], world["sn"], f"Öppet {n}")
    number = world["secret"].diary_number  # SN <year>/1
    listed = api(world["ks_reg"]).get("/api/v1/cases/", {"diarienummer": number}).json()
    assert [c["diarienummer"] for c in listed["results"]] == sorted(
        (c["diarienummer"] for c in listed["results"]), reverse=True)
    assert {c["diarienummer"][:-1] for c in listed["results"]} <= {number}  # SN …/10, …/11
    assert listed["count"] == 2


# --- 4. every presentation of secret content is audited ------------------------------

def reads(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="secret.read", actor=user))


def test_the_search_page_audits_one_event_for_the_page(world):
    f.case(world["sn_reg"], world["sn"], f"Andra {CANARY}", secrecy=services.Secrecy("OSL 26:1"))
    html = ui(world["sn_reg"]).get(reverse("registry:search")).content.decode()
    assert html.count(CANARY) == 2
    [event] = reads(world["sn_reg"])
    assert event.after["view"] == "registry:search" and len(event.after["shown"]) == 2


def test_the_home_page_and_related_cases_are_audited(world):
    officer = world["sn_officer"]
    mine = f.case(world["sn_reg"], world["sn"], f"Min {CANARY}",
                  secrecy=services.Secrecy("OSL 26:1"), responsible_officer=officer)
    assert CANARY in ui(officer).get(reverse("web:home")).content.decode()
    [event] = reads(officer)
    assert event.after["view"] == "web:home" and event.case_id == mine.pk
    sn_open = f.case(world["sn_reg"], world["sn"], "Öppet SN")
    services.relate_cases(world["sn_reg"], sn_open, world["secret"])
    page = ui(world["sn_reg"]).get(reverse("registry:case", args=[sn_open.pk]))
    assert CANARY in page.content.decode()
    [event] = reads(world["sn_reg"])
    assert event.after["shown"] == [["registry.case", str(world["secret"].pk)]]


def test_api_list_is_one_event_per_response(world):
    f.case(world["sn_reg"], world["sn"], "Två", secrecy=services.Secrecy("OSL 26:1"))
    api(world["sn_reg"]).get("/api/v1/cases/")
    [event] = reads(world["sn_reg"])
    assert event.object_type == "view" and event.object_id == "api:case-list"
    assert len(event.after["shown"]) == 2 and event.case_id is None


def test_a_stub_is_not_audited(world):
    ui(world["sn_officer"]).get(reverse("registry:case", args=[world["secret"].pk]))
    api(world["sn_officer"]).get("/api/v1/cases/")
    assert reads(world["sn_officer"]) == []


# --- 5. cross-board changes -----------------------------------------------------------

def test_relating_to_another_boards_case_is_in_that_boards_chain(world):
    sn_open = f.case(world["sn_reg"], world["sn"], "Öppet SN")
    services.relate_cases(world["ks_reg"], world["open"], sn_open)
    event = AuditEvent.objects.get(action="case.related", case_id=sn_open.pk)
    assert event.chain == f"authority:{world['sn'].authority_id}"
    assert event.after == {"related": world["open"].diary_number}
    mine = AuditEvent.objects.get(action="case.related", case_id=world["open"].pk)
    assert mine.chain == f"authority:{world['ks'].authority_id}"


def test_relating_to_a_secret_case_needs_its_content(world):
    officer = world["sn_officer"]
    own = f.case(world["sn_reg"], world["sn"], "Eget", responsible_officer=officer)
    body = {"case": str(world["secret"].pk)}
    response = api(officer).post(f"/api/v1/cases/{own.pk}/relate/", body, format="json")
    assert response.status_code == 403
    assert not world["secret"].related_cases.exists()


def test_a_unit_of_another_administration_is_refused(world):
    muni = world["ks"].authority.municipality
    social = Administration.objects.create(municipality=muni, name="Socialförvaltningen")
    social.authorities.set([world["sn"].authority])
    unit = Unit.objects.create(administration=social, name="Barn och familj")
    client = api(world["ks_reg"])
    response = client.post("/api/v1/cases/", {"series": "KS", "title": "X",
                                              "responsible_unit": str(unit.pk)}, format="json")
    assert response.status_code == 400 and "responsible_unit" in response.json()["errors"]
    response = client.post("/api/v1/cases/", {"series": "SN", "title": "X"}, format="json")
    assert response.status_code == 403  # (no role in SN: the unit is not the question)
    ok = api(world["sn_reg"]).post("/api/v1/cases/", {
        "series": "SN", "title": "X", "responsible_unit": str(unit.pk)}, format="json")
    assert ok.status_code == 201, ok.content


def test_a_member_municipality_only_on_a_joint_board(world):
    neighbour = Municipality.objects.create(name="Grannby", code="9999")
    client = api(world["ks_reg"])
    response = client.post("/api/v1/cases/", {"series": "KS", "title": "X",
                                              "municipality": "9999"}, format="json")
    assert response.status_code == 400 and "municipality" in response.json()["errors"]
    world["ks"].authority.member_municipalities.add(neighbour)
    ok = client.post("/api/v1/cases/", {"series": "KS", "title": "X", "municipality": "9999"},
                     format="json")
    assert ok.status_code == 201, ok.content


def test_secret_file_download_audits_the_document(world):
    doc = f.document(world["sn_reg"], world["secret"], title=CANARY,
                     uploads=[services.Upload(io.BytesIO(b"intyg"), "intyg.txt")])
    client = ui(world["sn_reg"])
    response = client.get(reverse("registry:file", args=[doc.files.get().pk]))
    assert b"".join(response.streaming_content) == b"intyg"
    [event] = reads(world["sn_reg"])
    assert event.object_id == str(doc.pk) and event.case_id == world["secret"].pk
