"""Issue 9, finding 1: a case can be changed in the UI after it is opened — an edit page
and quick actions (reassign, follow-up date, add a party) — each change audited with its
values before and after, and only by those who may change the case."""

import datetime as dt

import pytest
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.registry import services
from diarium.registry.models import CaseParty, Party
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


def edit_data(case, **changes) -> dict:
    data = {"title": case.title, "public_title": case.public_title,
            "classification_code": case.classification_code,
            "responsible_officer": case.responsible_officer_id or "",
            "responsible_unit": case.responsible_unit_id or "",
            "follow_up_date": case.follow_up_date or "",
            "secrecy_provision": case.secrecy_provision}
    return data | changes


def last_event(case, action):
    return AuditEvent.objects.filter(case_id=case.pk, action=action).latest("id")


def test_edit_page_changes_the_case_and_audits_before_and_after(ks, registrator, officer,
                                                                 reg_client):
    case = f.case(registrator, ks, "Bygglov Storgatan 1")
    url = reverse("registry:case_edit", args=[case.pk])
    html = reg_client.get(url).content.decode()
    assert "Ändra ärendet" in html and "Bygglov Storgatan 1" in html
    response = reg_client.post(url, edit_data(
        case, title="Bygglov Storgatan 3", public_title="Bygglov",
        responsible_officer=officer.pk, follow_up_date="2027-03-01"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Bygglov Storgatan 3" and case.responsible_officer == officer
    assert case.follow_up_date == dt.date(2027, 3, 1)
    event = last_event(case, "case.updated")
    assert event.before["title"] == "Bygglov Storgatan 1"
    assert event.after["title"] == "Bygglov Storgatan 3"
    assert event.after["responsible_officer"] == officer.pk
    page = reg_client.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert "Ärendet ändrat" in page and "Bygglov Storgatan 1</del>" in page


def test_edit_errors_are_shown_on_the_form(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    response = reg_client.post(reverse("registry:case_edit", args=[case.pk]),
                               edit_data(case, title=""))
    assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_only_who_may_change_the_case_sees_and_uses_the_edit_page(ks, registrator, officer):
    case = f.case(registrator, ks, responsible_officer=officer)
    other = logged_in(f.user(roles={ks.authority: "officer"}))
    reader = logged_in(f.user(roles={ks.authority: "reader"}))
    url = reverse("registry:case_edit", args=[case.pk])
    assert logged_in(officer).get(url).status_code == 200  # the responsible officer
    for client in (other, reader):
        assert client.get(url).status_code == 403
        assert client.post(url, edit_data(case, title="Kapat")).status_code == 403
    outsider = logged_in(f.user(roles={f.authority("BUN"): "registrar"}))
    secret = f.case(registrator, ks, "Hemligt", secrecy=services.Secrecy("OSL 26:1"))
    assert outsider.get(reverse("registry:case_edit", args=[secret.pk])).status_code == 404
    case.refresh_from_db()
    assert case.title == "Ett ärende"
    # the case page offers the edit link only to who may use it
    page = reader.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert url not in page
    assert url in logged_in(officer).get(reverse("registry:case", args=[case.pk])).content.decode()


def test_quick_reassign_and_follow_up_are_audited(ks, registrator, officer, reg_client):
    case = f.case(registrator, ks)
    reg_client.post(reverse("registry:case_reassign", args=[case.pk]),
                    {"responsible_officer": officer.pk})
    reg_client.post(reverse("registry:case_follow_up", args=[case.pk]),
                    {"follow_up_date": "2027-01-15"})
    case.refresh_from_db()
    assert case.responsible_officer == officer
    assert case.follow_up_date == dt.date(2027, 1, 15)
    moved = last_event(case, "case.reassigned")
    assert moved.before == {"responsible_officer": None}
    assert moved.after == {"responsible_officer": officer.pk}
    dated = last_event(case, "case.follow_up_set")
    assert dated.before == {"follow_up_date": None} and dated.after == {
        "follow_up_date": "2027-01-15"}
    # clearing the follow-up date
    reg_client.post(reverse("registry:case_follow_up", args=[case.pk]), {"follow_up_date": ""})
    case.refresh_from_db()
    assert case.follow_up_date is None


def test_a_reader_cannot_use_the_quick_actions(ks, registrator, officer):
    case = f.case(registrator, ks)
    reader = logged_in(f.user(roles={ks.authority: "reader"}))
    assert reader.post(reverse("registry:case_reassign", args=[case.pk]),
                       {"responsible_officer": officer.pk}).status_code == 403
    assert reader.post(reverse("registry:case_follow_up", args=[case.pk]),
                       {"follow_up_date": "2027-01-15"}).status_code == 403
    assert reader.post(reverse("registry:case_add_party", args=[case.pk]),
                       {"new_party_name": "X", "new_party_kind": "person"}).status_code == 403
    case.refresh_from_db()
    assert case.responsible_officer is None and case.follow_up_date is None
    assert not case.case_parties.exists()


def test_add_a_party_from_the_register_or_a_new_one(ks, registrator, reg_client):
    case = f.case(registrator, ks)
    known = services.create_party(registrator, kind="organisation", name="Bygg AB")
    url = reverse("registry:case_add_party", args=[case.pk])
    # the type-ahead finds the contact
    found = reg_client.get(reverse("registry:party_search"), {"party_query": "bygg"})
    assert "Bygg AB" in found.content.decode()
    reg_client.post(url, {"party": known.pk, "party_role": "sökande"})
    assert CaseParty.objects.filter(case=case, party=known, role="sökande").exists()
    # a new person: the personnummer is checked by its check digit
    response = reg_client.post(url, {"new_party_kind": "person", "new_party_name": "Anna A",
                                     "new_party_identity_number": "19811218-9875"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not Party.objects.filter(name="Anna A").exists()
    reg_client.post(url, {"new_party_kind": "person", "new_party_name": "Anna A",
                          "new_party_identity_number": "811218-9876", "party_role": "part"})
    anna = Party.objects.get(name="Anna A")
    assert anna.identity_number == "19811218-9876"
    assert CaseParty.objects.filter(case=case, party=anna, role="part").exists()
    assert last_event(case, "case.party_added").after["party"] == str(anna.pk)


def test_a_party_the_user_may_not_see_cannot_be_added_or_found(ks, registrator, officer):
    secret = f.case(registrator, ks, "Orosanmälan", secrecy=services.Secrecy("OSL 26:1"))
    hidden = services.create_party(registrator, kind="person", name="Hemlig Person",
                                   identity_number="19811218-9876")
    services.add_party(registrator, secret, hidden)
    mine = f.case(registrator, ks, responsible_officer=officer)
    client = logged_in(officer)
    found = client.get(reverse("registry:party_search"), {"party_query": "Hemlig"})
    assert "Hemlig Person" not in found.content.decode()
    client.post(reverse("registry:case_add_party", args=[mine.pk]), {"party": hidden.pk})
    assert not mine.case_parties.exists()
