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
