"""Disposal through the API and the staff pages: the four-eyes rule, execution, the
certificate, holds on packages, and who may do what (reader and officer 403, another
authority 404)."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from diarium.archive import disposal
from diarium.archive.models import ArchiveHold, PackageState, RunState
from diarium.registry.models import DocumentFile
from tests import factories as f
from tests.workers import run_jobs

from .disposal_world import DECISION, build

pytestmark = pytest.mark.django_db
RUNS = "/api/v1/archive/disposal-runs/"


@pytest.fixture
def w(locations, tmp_path):
    return build(tmp_path)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_api_draws_up_approves_executes_and_certifies(w):
    author, approver = api(w.archivist), api(w.approver)
    created = author.post(RUNS, {"authority": "KS"}, format="json")
    assert created.status_code == 201, created.content
    run = created.json()
    assert run["state"] == "proposed" and run["counts"]["pending"] == 3
    url = f"{RUNS}{run['id']}/"
    items = author.get(f"{url}items/").json()
    assert items["count"] == 3 and items["results"][0]["record_type"] == "Kvitto"
    assert author.post(f"{url}execute/").status_code == 400  # not approved
    refused = author.post(f"{url}approve/", {"decision_reference": DECISION}, format="json")
    assert refused.status_code == 403  # the author may not approve
    missing = approver.post(f"{url}approve/", {}, format="json")
    assert missing.status_code == 400 and "decision_reference" in missing.json()["errors"]
    done = approver.post(f"{url}approve/", {"decision_reference": DECISION}, format="json")
    assert done.status_code == 200 and done.json()["decided_by"] == "admin"
    executed = author.post(f"{url}execute/")
    assert executed.status_code == 202, executed.content
    assert author.post(f"{url}execute/").json()["id"] == executed.json()["id"]  # one at once
    run_jobs()
    job = author.get(executed["Location"]).json()
    assert job["state"] == "succeeded" and job["result"]["disposed"] == 3
    assert (job["done"], job["total"]) == (3, 3)
    result = author.get(url).json()
    assert result["state"] == "completed" and result["counts"]["disposed"] == 3
    assert author.post(f"{url}execute/").status_code == 400  # completed: nothing to do
    pdf = author.get(f"{url}certificate/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body(pdf))).pages)
    assert DECISION in " ".join(text.split())
    data = json.loads(body(author.get(f"{url}certificate/?format=json")))
    assert len(data["items"]) == 3 and data["decision"]["reference"] == DECISION
    disposed = author.get(f"{url}items/?state=disposed").json()["results"]
    assert all(i["record"]["decision_reference"] == DECISION for i in disposed)
    # A disposed document's file is gone from the API too, the registration is not.
    doc = w.receipts[1]
    file = DocumentFile.objects.get(document=doc)
    registrar = api(w.plan.registrator)
    shown = registrar.get(f"/api/v1/documents/{doc.pk}/").json()
    assert shown["status"] == "disposed" and shown["disposal"]["disposed_under"] == DECISION
    gone = registrar.get(f"/api/v1/documents/{doc.pk}/files/{file.pk}/download/")
    assert gone.status_code == 404


def test_the_api_rejects_and_holds_packages(w):
    run = disposal.create_run(w.archivist, w.authority)
    rejected = api(w.approver).post(f"{RUNS}{run.pk}/reject/", {"note": "Fel lista"},
                                    format="json")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    client = api(w.archivist)
    held = client.post("/api/v1/archive/holds/", {
        "package": str(w.package.pk), "reason": "Tvist", "reference": "Mål 123"},
        format="json")
    assert held.status_code == 201, held.content
    assert held.json()["active"] and held.json()["placed_by"] == "ark"
    created = client.post(RUNS, {"authority": "KS"}, format="json").json()
    package = next(i for i in client.get(f"{RUNS}{created['id']}/items/").json()["results"]
               if i["kind"] == "package")
    assert package["state"] == "skipped" and package["held"]
    released = client.post(f"/api/v1/archive/holds/{held.json()['id']}/release/",
                           {"note": "Avgjort"}, format="json")
    assert released.status_code == 200 and not released.json()["active"]
    assert client.get("/api/v1/archive/holds/").json()["count"] == 1


def test_who_may_handle_disposal(w):
    run = disposal.create_run(w.archivist, w.authority)
    hold = disposal.place_hold(w.archivist, w.package, "Tvist")
    ks = w.authority
    for role in ("reader", "officer", "registrar"):
        client = api(f.user(roles={ks: role}))
        assert client.get(RUNS).status_code == 403
        assert client.get(f"{RUNS}{run.pk}/").status_code == 403
        assert client.post(f"{RUNS}{run.pk}/approve/", {"decision_reference": DECISION},
                           format="json").status_code == 403
        assert client.get("/api/v1/archive/holds/").status_code == 403
    other = api(f.user(roles={w.plan.bun.authority: "archivist"}))
    assert other.get(RUNS).json()["count"] == 0
    assert other.get(f"{RUNS}{run.pk}/").status_code == 404
    assert other.get(f"{RUNS}{run.pk}/items/").status_code == 404
    assert other.post(f"{RUNS}{run.pk}/approve/", {"decision_reference": DECISION},
                      format="json").status_code == 404
    assert other.post(f"{RUNS}{run.pk}/execute/").status_code == 404
    assert other.get(f"/api/v1/archive/holds/{hold.pk}/").status_code == 404
    assert other.post(RUNS, {"authority": "KS"}, format="json").status_code == 404
    assert other.post("/api/v1/archive/holds/", {"package": str(w.package.pk),
                                                 "reason": "x"}, format="json").status_code == 404
    run.refresh_from_db()
    assert run.state == RunState.PROPOSED


def test_the_staff_pages(w, locations):
    web = Client()
    web.force_login(w.archivist)
    page = web.get(reverse("archive:disposal_runs"))
    assert page.status_code == 200
    answer = web.post(reverse("archive:disposal_runs"), {"authority": "KS", "due_on": "",
                                                         "record_type": ""})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    run = disposal.access.runs(w.archivist).get()
    detail = web.get(reverse("archive:disposal_run", args=[run.pk])).content.decode()
    assert w.receipts[0].document_number in detail and 'value="approve"' not in detail
    assert web.post(reverse("archive:disposal_decide", args=[run.pk]),
                    {"decision": "approve", "decision_reference": DECISION}).status_code == 403
    web.force_login(w.approver)  # an administrator, not an archivist: a link of its own
    assert reverse("archive:disposal_runs") in web.get(reverse("web:home")).content.decode()
    detail = web.get(reverse("archive:disposal_run", args=[run.pk])).content.decode()
    assert 'value="approve"' in detail
    web.post(reverse("archive:disposal_decide", args=[run.pk]),
             {"decision": "approve", "decision_reference": DECISION})
    run.refresh_from_db()
    assert run.state == RunState.APPROVED and run.decision_reference == DECISION
    web.post(reverse("archive:disposal_execute", args=[run.pk]))
    assert 'data-job-url="/api/v1/jobs/' in web.get(
        reverse("archive:disposal_run", args=[run.pk])).content.decode()
    run_jobs()
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED
    w.package.refresh_from_db()
    assert w.package.state == PackageState.DISPOSED
    for fmt in ("pdf", "json"):
        download = web.get(reverse("archive:disposal_certificate", args=[run.pk, fmt]))
        assert download.status_code == 200
    assert web.get(reverse("archive:disposal_certificate", args=[run.pk, "exe"])
                   ).status_code == 404
    case_page = web.get(reverse("registry:case", args=[w.case.pk])).content.decode()
    assert DECISION in case_page
    file = DocumentFile.objects.get(document=w.receipts[1])
    assert web.get(reverse("registry:file", args=[file.pk])).status_code == 404
    # Holds on packages: place and release.
    other_package = w.package  # disposed: refused
    answer = web.post(reverse("archive:disposal_holds"), {
        "package": other_package.objid, "reason": "Tvist"})
    assert answer.status_code == 200 and not ArchiveHold.objects.exists()
    web.force_login(f.user(roles={w.authority: "officer"}))
    assert web.get(reverse("archive:disposal_runs")).status_code == 403
    web.force_login(f.user(roles={w.plan.bun.authority: "archivist"}))
    assert web.get(reverse("archive:disposal_run", args=[run.pk])).status_code == 404
