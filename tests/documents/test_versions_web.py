"""Drafts and versions through the API and the staff UI: a final is immutable in both, a
second check-out is a 409, every version downloads with its own bytes, the document page
shows the versions, the lock and the diff."""

import io

import pytest
from django.urls import reverse

from diarium.registry.models import Document, DocumentStatus
from tests import factories as f
from tests.permissions.clients import api, ui

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    olle = f.user("olle", roles={ks.authority: "officer"})
    case = f.case(olle, ks, "Detaljplan för Norra hamnen", responsible_officer=olle)
    rut = f.user("rut", roles={ks.authority: "registrar"})
    return olle, rut, case


def text_file(name: str, text: str) -> io.BytesIO:
    stream = io.BytesIO(text.encode())
    stream.name = name
    return stream


def new_draft(client, case, text="Första utkastet\n") -> dict:
    response = client.post("/api/v1/documents/drafts/", {
        "case": str(case.pk), "direction": "internal", "title": "Tjänsteskrivelse",
        "document_date": case.opened_at.date().isoformat(),
        "file": text_file("tjut.txt", text), "note": "start"}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_versions_through_the_api(world):
    olle, rut, case = world
    client = api(olle)
    doc = new_draft(client, case)
    assert doc["status"] == "draft" and doc["final_version"] is None
    url = f"/api/v1/documents/{doc['id']}"
    added = client.post(f"{url}/versions/", {"file": text_file("tjut.txt", "Andra\n"),
                                             "note": "rättat"}, format="multipart")
    assert added.status_code == 201 and added.json()["number"] == 2
    versions = client.get(f"{url}/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    for version, text in zip(versions, ["Andra\n", "Första utkastet\n"], strict=True):
        got = client.get(version["download"])
        assert got.status_code == 200 and b"".join(got.streaming_content) == text.encode()
    diff = client.get(f"{url}/diff/", {"old": versions[1]["id"], "new": versions[0]["id"]})
    assert [(line["kind"], line["text"]) for line in diff.json()["lines"]] == [
        ("removed", "Första utkastet"), ("added", "Andra")]

    assert client.post(f"{url}/checkout/").json()["checked_out_by"] == "olle"
    case.access_group.add(rut)
    other = api(rut)
    refused = other.post(f"{url}/checkout/")
    assert refused.status_code == 409 and "olle" in refused.content.decode()
    assert other.post(f"{url}/finalise/").status_code == 409
    assert client.post(f"{url}/checkin/").json()["checked_out_by"] is None

    final = client.post(f"{url}/finalise/")
    assert final.status_code == 200 and final.json()["status"] == "registered"
    assert final.json()["final_version"] == 2
    again = client.post(f"{url}/versions/", {"file": text_file("t.txt", "smyg")},
                        format="multipart")
    assert again.status_code == 409 and "reason" in again.json()["errors"]
    assert client.post(f"{url}/checkout/").status_code == 409
    assert Document.objects.get(pk=doc["id"]).final_version.number == 2
    replaced = client.post(f"{url}/versions/", {"file": text_file("t.txt", "Rättad"),
                                                "reason": "Fel datum"}, format="multipart")
    assert replaced.status_code == 201
    assert client.get(f"{url}/").json()["final_version"] == 3


def test_a_draft_does_not_exist_outside_the_access_group_in_the_api(world):
    olle, _rut, case = world
    doc = new_draft(api(olle), case)
    colleague = f.user(roles={case.authority: "officer"})
    assert api(colleague).get(f"/api/v1/documents/{doc['id']}/").status_code == 404
    listed = api(colleague).get("/api/v1/documents/", {"case": str(case.pk)}).json()
    assert doc["id"] not in {row["id"] for row in listed["results"]}


def test_the_document_page_shows_versions_lock_and_diff(world):
    olle, rut, case = world
    browser = ui(olle)
    page = browser.get(reverse("registry:draft_new", args=[case.pk]))
    assert page.status_code == 200
    created = browser.post(reverse("registry:draft_new", args=[case.pk]), {
        "direction": "internal", "title": "Tjänsteskrivelse", "document_date":
        case.opened_at.date().isoformat(), "file": text_file("tjut.txt", "Ett\n"),
        "note": "start"}, follow=True)
    doc = Document.objects.get(case=case)
    assert doc.status == DocumentStatus.DRAFT
    text = created.content.decode()
    assert "Utkast" in text and "Fastställ" in text and "tjut.txt" in text
    browser.post(reverse("registry:version_add", args=[doc.pk]),
                 {"file": text_file("tjut.txt", "Två\n"), "note": "andra"})
    browser.post(reverse("registry:document_check_out", args=[doc.pk]))
    case.access_group.add(rut)
    shown = ui(rut).get(reverse("registry:document", args=[doc.pk])).content.decode()
    assert "Utcheckad av olle" in shown
    old, new = doc.versions.order_by("number")
    diff = browser.get(reverse("registry:version_compare", args=[doc.pk]),
                       {"old": old.pk, "new": new.pk}).content.decode()
    assert "<del>" in diff and "Två" in diff
    done = browser.post(reverse("registry:document_finalise", args=[doc.pk]), follow=True)
    assert "fastställd" in done.content.decode().lower()
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.REGISTERED and doc.final_version == new
    refused = browser.post(reverse("registry:version_add", args=[doc.pk]),
                           {"file": text_file("x.txt", "smyg")}, follow=True)
    assert doc.versions.count() == 2 and "kräver ett skäl" in refused.content.decode()
    got = browser.get(reverse("registry:version", args=[old.pk]))
    assert b"".join(got.streaming_content) == b"Ett\n"
