"""Issue 9, finding 2: a registration names a structured party — picked from the contact
register by type-ahead (through the visibility rules for parties) or created inline with
a checked identity number — and a personnummer written in free text is caught, masked for
those who may not read identity numbers, and not found by their free-text searches."""

import pytest
from django.urls import reverse

from diarium.registry import services
from diarium.registry.identity import find_identity_numbers, mask_identity_numbers
from diarium.registry.models import Case, CaseParty, Document, Party
from tests import factories as f
from tests.api.conftest import client_for as api_client
from tests.web.conftest import logged_in, new_case_letter

pytestmark = pytest.mark.django_db

PNR = "19811218-9876"




def test_registration_picks_a_party_from_the_register(ks, registrator, reg_client):
    anna = services.create_party(registrator, kind="person", name="Anna Andersson",
                                 identity_number=PNR, email="anna@example.org")
    # the type-ahead finds her by name, personnummer (any usual form) and e-mail
    for query in ("anders", "811218-9876", "198112189876", "anna@example"):
        found = reg_client.get(reverse("registry:party_search"), {"party_query": query})
        assert "Anna Andersson" in found.content.decode(), query
    reg_client.post(reverse("registry:register"),
                    new_case_letter(ks, party=anna.pk, party_role="sökande"))
    doc = Document.objects.get()
    assert doc.party == anna and doc.sender_recipient == "Anna Andersson"
    assert CaseParty.objects.filter(case=doc.case, party=anna, role="sökande").exists()


def test_registration_creates_a_party_inline_with_a_checked_number(ks, reg_client):
    wrong = new_case_letter(ks, new_party_kind="person", new_party_name="Bo Berg",
                   new_party_identity_number="19811218-9875")
    response = reg_client.post(reverse("registry:register"), wrong)
    assert response.status_code == 200
    assert "Personnumrets kontrollsiffra stämmer inte." in response.content.decode()
    assert not Case.objects.exists() and not Party.objects.exists()
    org = new_case_letter(ks, new_party_kind="organisation", new_party_name="Bygg AB",
                 new_party_identity_number="5560360794", party_role="sökande")
    # 556036-0794 fails its check digit; 556036-0793 passes
    response = reg_client.post(reverse("registry:register"), org)
    assert response.status_code == 200
    assert "Organisationsnumrets kontrollsiffra stämmer inte." in response.content.decode()
    org["new_party_identity_number"] = "556036-0793"
    reg_client.post(reverse("registry:register"), org)
    party = Party.objects.get()
    assert party.identity_number == "556036-0793" and party.kind == "organisation"
    doc = Document.objects.get()
    assert doc.party == party and doc.case.case_parties.get().party == party


def test_a_number_in_free_text_is_caught_and_confirmed(ks, registrator, reg_client):
    data = new_case_letter(ks, sender_recipient=f"Anna Andersson {PNR}")
    response = reg_client.post(reverse("registry:register"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "19811218-XXXX" in html and "id_identity_confirmed" in html
    reg_client.post(reverse("registry:register"), data | {"identity_confirmed": "on"})
    case = Case.objects.get()
    # a läsare sees the number masked, the registrator in full
    reader_user = f.user(roles={ks.authority: "reader"})
    reader = logged_in(reader_user)
    page = reader.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert "Anna Andersson 19811218-XXXX" in page and PNR not in page
    assert PNR in reg_client.get(reverse("registry:case", args=[case.pk])).content.decode()
    # nor does a free-text search confirm it to anyone; the party search does, to those
    # who may read identity numbers
    def found(client, **query) -> bool:
        html = client.get(reverse("registry:search"), query).content.decode()
        return case.diary_number in html

    assert not found(reader, q=PNR) and not found(reader, party=PNR)
    assert not found(reg_client, q=PNR) and found(reg_client, party=PNR)
    # the API masks it as well
    body = api_client(reader_user).get(f"/api/v1/documents/?case={case.pk}").json()
    assert "19811218-XXXX" in str(body) and PNR not in str(body)


def test_a_reader_does_not_find_a_party_by_identity_number(ks, registrator):
    case = f.case(registrator, ks)
    anna = services.create_party(registrator, kind="person", name="Anna Andersson",
                                 identity_number=PNR)
    services.add_party(registrator, case, anna)
    reader = f.user(roles={ks.authority: "reader"})
    assert api_client(reader).get("/api/v1/parties/", {"q": PNR}).json()["count"] == 0
    assert api_client(reader).get("/api/v1/parties/", {"q": "Anna"}).json()["count"] == 1
    assert api_client(registrator).get("/api/v1/parties/", {"q": PNR}).json()["count"] == 1


def test_numbers_in_text_are_found_and_masked():
    text = "Anna 811218-9876, tel 070-123 45 67, dnr KS 2026/42, 19811218 9876"
    assert find_identity_numbers(text) == [PNR]
    assert mask_identity_numbers(text) == (
        "Anna 19811218-XXXX, tel 070-123 45 67, dnr KS 2026/42, 19811218-XXXX")
    # a samordningsnummer (day + 60)
    assert find_identity_numbers("701063-2391") == ["19701063-2391"]


def test_the_report_finds_numbers_in_existing_free_text(ks, registrator):
    import io

    from django.core.management import call_command

    case = f.case(registrator, ks, f"Ansökan från {PNR}")
    f.document(registrator, case, "Brev", sender_recipient="Bo 701063-2391")
    out = io.StringIO()
    call_command("identity_report", stdout=out)
    text = out.getvalue()
    assert f"{case.diary_number}\ttitle\t19811218-XXXX" in text
    assert f"{case.diary_number}:1\tsender_recipient\t19701063-XXXX" in text
    assert PNR not in text and "2 personnummer found" in text
