"""/api/v1/archive/packages/ and the archivist's pages: only archivists, and only for the
archive creators of their own authorities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.archive import services
from diarium.archive.ingest import ingest_package
from diarium.archive.models import Package, PackageState
from diarium.core.actors import INGEST, OPERATOR
from diarium.core.jobs.models import Job, JobState
from tests import factories as f
from tests.workers import run_jobs

from .builder import zip_folder
from .conftest import sip, stored_tree

pytestmark = pytest.mark.django_db
URL = "/api/v1/archive/packages/"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def zipped(tmp_path):
    return zip_folder(sip(tmp_path / "in"), tmp_path / "sip-test.zip")


@pytest.fixture
def other_package(tmp_path, locations):
    """A package of another authority (BUN) and that authority's archivist."""
    bun = f.authority("BUN")
    creator = services.ensure_archive_creator(OPERATOR, bun)
    agreement = services.create_agreement(OPERATOR, creator, reference="LÖ-BUN", name="BUN",
                                          producer="Elevsystem")
    package = ingest_package(INGEST, sip(tmp_path / "bun", name="bun-1"), agreement)
    return package, f.user("bunark", roles={bun: "archivist"})


def ingested(client: APIClient, response) -> dict:
    """The package a queued ingest made: 202 with the job, the job run, the package read."""
    assert response.status_code == 202, response.content
    assert response["Location"] == response.json()["url"]
    assert response.json()["state"] == "queued"
    run_jobs()
    job = client.get(response["Location"]).json()
    assert job["state"] == "succeeded", job
    return client.get(f"{URL}{job['result']['package']}/").json()


def test_archivist_uploads_a_package_and_reads_it(zipped, locations, agreement, archivist):
    client = api_for(archivist)
    with zipped.open("rb") as fh:
        response = client.post(URL, {"file": fh, "agreement": "LÖ-2024-1"}, format="multipart")
    body = ingested(client, response)
    assert body["state"] == "archived" and body["objid"] == "sip-test"
    assert {c["state"] for c in body["copies"]} == {"verified"} and len(body["copies"]) == 2
    assert {"validation", "ingestion", "replication"} <= {e["event_type"] for e in body["events"]}
    job = Job.objects.get()
    assert client.get(f"/api/v1/jobs/{job.pk}/").json()["page"] == (
        reverse("archive:package", args=[body["id"]]))
    with zipped.open("rb") as fh:
        again = client.post(URL, {"file": fh, "agreement": "LÖ-2024-1"}, format="multipart")
    assert ingested(client, again)["id"] == body["id"]  # the same delivery: archived once
    listed = client.get(URL).json()
    assert [p["id"] for p in listed["results"]] == [body["id"]]
    files = client.get(f"{URL}{body['id']}/files/").json()
    assert "submission/representations/rep1/data/beslut.txt" in {
        row["path"] for row in files["results"]}
    assert not list((locations[0].parent / "archive").glob("uploads/*")) if (
        locations[0].parent / "archive").exists() else True


def test_a_rejected_upload_has_a_downloadable_receipt(tmp_path, locations, agreement,
                                                      archivist):
    folder = sip(tmp_path / "in")
    (folder / "representations/rep1/data/beslut.txt").write_bytes(b"changed\n")
    archive = zip_folder(folder, tmp_path / "bad.zip")
    client = api_for(archivist)
    with archive.open("rb") as fh:
        body = ingested(client, client.post(URL, {"file": fh, "agreement": "LÖ-2024-1"},
                                            format="multipart"))
    assert body["state"] == "rejected" and body["errors"] >= 1 and body["copies"] == []
    receipt = client.get(f"{URL}{body['id']}/receipt/")
    assert receipt.status_code == 200
    assert "attachment" in receipt["Content-Disposition"]
    assert receipt.json()["report"]["valid"] is False
    for location in locations:
        assert stored_tree(location) == []


def test_a_server_side_path_must_be_inside_the_inbox(tmp_path, locations, agreement,
                                                     archivist, settings):
    inbox = tmp_path / "inbox"
    sip(inbox, name="från-inkorgen")
    client = api_for(archivist)
    ok = client.post(URL, {"path": "från-inkorgen", "agreement": "LÖ-2024-1"}, format="json")
    assert ingested(client, ok)["state"] == "archived"
    assert (inbox / "från-inkorgen").is_dir()  # the inbox's package is left where it was
    sip(tmp_path / "elsewhere")
    for path in ("../elsewhere/sip-test", str(tmp_path / "elsewhere" / "sip-test"), "/etc"):
        refused = client.post(URL, {"path": path, "agreement": "LÖ-2024-1"}, format="json")
        assert refused.status_code == 400, path


def test_non_archivists_get_403_and_other_authorities_404(zipped, locations, agreement,
                                                          archivist, authority, other_package):
    package, bun_archivist = other_package
    registrator = f.user(roles={authority: "registrar"})
    for user in (registrator,):
        client = api_for(user)
        assert client.get(URL).status_code == 403
        assert client.get(f"{URL}{package.pk}/").status_code == 403
        with zipped.open("rb") as fh:
            assert client.post(URL, {"file": fh}, format="multipart").status_code == 403
    assert APIClient().get(URL).status_code in (401, 403)
    mine = api_for(archivist)
    assert mine.get(f"{URL}{package.pk}/").status_code == 404
    assert mine.get(f"{URL}{package.pk}/receipt/").status_code == 404
    assert mine.get(URL).json()["results"] == []
    with zipped.open("rb") as fh:
        refused = mine.post(URL, {"file": fh, "agreement": "LÖ-BUN"}, format="multipart")
    assert refused.status_code == 403
    theirs = api_for(bun_archivist)
    assert theirs.get(f"{URL}{package.pk}/").status_code == 200


def test_the_archivist_pages(zipped, locations, agreement, archivist, authority,
                             other_package):
    client = web_for(archivist)
    page = client.get(reverse("archive:packages"))
    assert page.status_code == 200 and "LÖ-2024-1" in page.content.decode()
    with zipped.open("rb") as fh:
        unnamed = client.post(reverse("archive:packages"), {"package": fh})
    unnamed_job = Job.objects.get()
    assert unnamed.status_code == 302 and unnamed["Location"] == reverse(
        "core:job", args=[unnamed_job.pk])
    run_jobs()
    unnamed_job.refresh_from_db()  # the SIP names no agreement: failed at once, with why
    assert unnamed_job.state == JobState.FAILED and unnamed_job.attempts == 1
    assert "Ange leveransöverenskommelsen" in client.get(unnamed["Location"]).content.decode()
    with zipped.open("rb") as fh:
        posted = client.post(reverse("archive:packages"), {"package": fh,
                                                           "agreement": agreement.pk})
    job = Job.objects.exclude(pk=unnamed_job.pk).get()
    progress = client.get(posted["Location"]).content.decode()
    assert 'data-job-url="/api/v1/jobs/' in progress and "Köad" in progress
    run_jobs()
    package = Package.objects.get(objid="sip-test")
    assert posted.status_code == 302 and package.state == PackageState.ARCHIVED
    job.refresh_from_db()
    assert job.subject_id == str(package.pk) and job.result["state"] == "archived"
    assert not Path(job.params["path"]).exists()  # the upload is gone once archived
    detail = client.get(reverse("archive:package", args=[package.pk])).content.decode()
    assert "submission/representations/rep1/data/beslut.txt" in detail
    assert "copy-1" in detail and "copy-2" in detail
    receipt = client.get(reverse("archive:receipt", args=[package.pk]))
    assert json.loads(receipt.content)["report"]["valid"] is True
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("archive:packages") in home
    other, _ = other_package
    assert client.get(reverse("archive:package", args=[other.pk])).status_code == 404
    registrator = web_for(f.user(roles={authority: "registrar"}))
    assert registrator.get(reverse("archive:packages")).status_code == 403
    menu = registrator.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("archive:packages")}"' not in menu  # no e-archive for them …
    assert f'href="{reverse("archive:search")}"' in menu  # … but its search
