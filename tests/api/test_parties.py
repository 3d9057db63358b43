import pytest

from diarium.registry import services
from diarium.registry.models import Party
from tests import factories as f
from tests.api.conftest import assert_problem, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/parties/"


def test_create_normalises_a_valid_personnummer(api):
    response = api.post(URL, {"kind": "person", "name": "Anna Andersson",
                              "identity_number": "121212+1212", "city": "Ystad"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["identity_number"] == "19121212-1212" and body["city"] == "Ystad"
    assert Party.objects.get(pk=body["id"]).identity_number == "19121212-1212"


@pytest.mark.parametrize(
    ("kind", "number"),
    [("person", "19121212-1213"), ("person", "hej"), ("organisation", "212000-0143")],
)
def test_invalid_identity_number_is_a_field_error(api, kind, number):
    body = assert_problem(
        api.post(URL, {"kind": kind, "name": "X", "identity_number": number}, format="json"), 400
    )
    assert list(body["errors"]) == ["identity_number"] and body["errors"]["identity_number"]
    assert not Party.objects.exists()


def test_unknown_kind_and_missing_name_are_field_errors(api):
    body = assert_problem(api.post(URL, {"kind": "robot"}, format="json"), 400)
    assert set(body["errors"]) == {"kind", "name"}


def test_list_masks_identity_numbers_detail_shows_them_by_role(api, ks, registrator):
    party = services.create_party(registrator, kind="person", name="Bertil Berg",
                                  identity_number="19121212-1212")
    services.create_party(registrator, kind="organisation", name="Bygg AB",
                          identity_number="556016-0680")
    services.add_party(registrator, f.case(registrator, ks), party)  # seen through the case
    listed = api.get(URL).json()
    assert listed["count"] == 2
    assert {r["identity_number"] for r in listed["results"]} == {"19121212-XXXX", "556016-XXXX"}
    assert api.get(f"{URL}{party.pk}/").json()["identity_number"] == "19121212-1212"
    officer = f.user(roles={ks.authority: "officer"})
    assert client_for(officer).get(f"{URL}{party.pk}/").json()["identity_number"].endswith("1212")
    reader = f.user(roles={ks.authority: ["reader", "archivist"]})
    masked = client_for(reader).get(f"{URL}{party.pk}/").json()
    assert masked["identity_number"] == "19121212-XXXX" and masked["name"] == "Bertil Berg"


def test_list_filters(api, registrator):
    services.create_party(registrator, kind="person", name="Bertil Berg")
    services.create_party(registrator, kind="organisation", name="Bergs Bygg AB")
    services.create_party(registrator, kind="person", name="Cecilia Ek")
    names = [r["name"] for r in api.get(f"{URL}?q=berg").json()["results"]]
    assert names == ["Bergs Bygg AB", "Bertil Berg"]
    names = [r["name"] for r in api.get(f"{URL}?q=berg&kind=person").json()["results"]]
    assert names == ["Bertil Berg"]


def test_users_without_roles_see_no_parties_and_cannot_add(registrator):
    services.create_party(registrator, kind="person", name="Bertil Berg")
    nobody = client_for(f.user())
    assert nobody.get(URL).json()["count"] == 0
    assert_problem(nobody.post(URL, {"kind": "person", "name": "X"}, format="json"), 403)
