"""Authorities and diary series: reference data every user may read."""

import pytest

from tests import factories as f
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_authorities_with_my_roles(api, ks, bun):
    listed = api.get("/api/v1/authorities/").json()["results"]
    assert [a["code"] for a in listed] == ["BUN", "KS"]
    mine = {a["code"]: a["my_roles"] for a in listed}
    assert mine == {"BUN": [], "KS": ["registrar"]}


def test_series_are_listed_and_filtered(api, ks, bun):
    inactive = f.series(ks.authority, "KSA")
    inactive.active = False
    inactive.save()

    def codes(query: str) -> list[str]:
        return [s["code"] for s in api.get(f"/api/v1/series/?{query}").json()["results"]]

    assert codes("") == ["BUN", "KS", "KSA"]
    assert codes("authority=KS") == ["KS", "KSA"]
    assert codes("active=true") == ["BUN", "KS"]
    assert codes("active=false") == ["KSA"]
    detail = client_for(f.user()).get(f"/api/v1/series/{ks.pk}/").json()
    assert detail == {"id": str(ks.pk), "code": "KS", "name": ks.name, "authority": "KS",
                      "active": True}


def test_authorities_name_a_joint_boards_members_with_a_fixed_number_of_queries(api, ks, bun):
    """A joint board lists its member municipalities' codes in code order; a list that
    fits on its first page is not counted (the rows read are the count), and the list
    makes the same few queries however many boards and members there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    joint = f.authority("OFN")
    joint.member_municipalities.add(f.municipality(code="2181"), f.municipality(code="2180"))

    def listed():
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/v1/authorities/").json()
        assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
        return body, len(queries)

    listed()  # the test client keeps the user object, and with it the roles read once
    body, first = listed()
    assert body["count"] == 3 and body["next"] is None
    members = {a["code"]: a["member_municipalities"] for a in body["results"]}
    assert members == {"BUN": [], "KS": [], "OFN": ["2180", "2181"]}
    for n in range(3):
        f.authority(f"X{n}").member_municipalities.add(f.municipality())
    body, more = listed()
    assert body["count"] == 6 and more == first <= 3, (first, more)


def test_a_list_longer_than_a_page_is_counted_and_paged(api, ks, bun):
    for n in range(3):
        f.authority(f"Y{n}")
    first = api.get("/api/v1/authorities/?page_size=2").json()
    assert first["count"] == 5 and first["next"] and len(first["results"]) == 2
    last = api.get("/api/v1/authorities/?page_size=2&page=3").json()
    assert last["count"] == 5 and last["next"] is None and len(last["results"]) == 1
    codes = [a["code"] for p in (1, 2, 3)
             for a in api.get(f"/api/v1/authorities/?page_size=2&page={p}").json()["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 5
