"""The archive's structure: submission agreements (list and create, UI and API) and the
series made from the classification as packages arrive."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.archive.models import ArchiveSeries, SubmissionAgreement
from tests import factories as f

from .archived import archive_closed, building_case, diarium_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return f.authority("KS", name="Kommunstyrelsen")


@pytest.fixture
def archivist(ks):
    return f.user("ark", roles={ks: "archivist"})


def test_archivists_create_and_list_agreements_in_the_api(ks, archivist):
    client = APIClient()
    client.force_authenticate(archivist)
    created = client.post("/api/v1/archive/agreements/", {
        "authority": "KS", "reference": "LÖ-2026-1", "producer": "Personec",
        "allowed_formats": ["fmt/95", "text/csv"], "valid_from": "2026-01-01"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["creator"] == "Kommunstyrelsen" and body["allowed_formats"] == [
        "fmt/95", "text/csv"]
    listed = client.get("/api/v1/archive/agreements/").json()
    assert [a["reference"] for a in listed["results"]] == ["LÖ-2026-1"]
    assert client.get(f"/api/v1/archive/agreements/{body['id']}/").status_code == 200
    again = client.post("/api/v1/archive/agreements/", {
        "authority": "KS", "reference": "LÖ-2026-1", "producer": "X"}, format="json")
    assert again.status_code == 400
    other = client.post("/api/v1/archive/agreements/", {
        "authority": f.authority("BUN").code, "reference": "LÖ-BUN", "producer": "X"},
        format="json")
    assert other.status_code == 403


def test_agreements_page_creates_an_agreement(ks, archivist):
    web = Client()
    web.force_login(archivist)
    answer = web.post(reverse("archive:agreements"), {
        "authority": ks.pk, "reference": "LÖ-WEB", "producer": "Diarium", "profile": "auto",
        "allowed_formats": "fmt/95, application/pdf"})
    assert answer.status_code == 302
    agreement = SubmissionAgreement.objects.get(reference="LÖ-WEB")
    assert agreement.allowed_formats == ["fmt/95", "application/pdf"]
    assert "LÖ-WEB" in web.get(reverse("archive:agreements")).content.decode()


def test_series_come_from_the_classification(locations, tmp_path, ks, archivist):
    series = f.series(ks, "KS")
    reg = f.user(roles={ks: "registrar"})
    diarium_agreement(ks)
    building_case(reg, series)
    building_case(reg, series, title="Ännu ett bygglov")
    archive_closed(tmp_path / "out")
    assert list(ArchiveSeries.objects.values_list("code", flat=True)) == ["3.1"]
    client = APIClient()
    client.force_authenticate(archivist)
    listed = client.get("/api/v1/archive/series/").json()["results"]
    assert [(s["code"], s["package_count"]) for s in listed] == [("3.1", 2)]
    web = Client()
    web.force_login(archivist)
    assert "3.1" in web.get(reverse("archive:structure")).content.decode()
