"""Access: DIP orders, the secrecy review, delivery and its log. Every DIP passes our CSIP
validator with no ERROR; restricted records need a review and are left out when refused."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from lxml import etree
from rest_framework.test import APIClient

from diarium.archive.dip import services
from diarium.archive.dip.builder import dip_dir
from diarium.archive.erms.schema import ERMS_NS, erms_problems
from diarium.archive.ingest import ingest_package
from diarium.archive.makesip.build import erms_tree
from diarium.archive.makesip.fields import FileMeta, PackageMeta
from diarium.archive.models import (
    ArchivedCase,
    Decision,
    Delivery,
    EventType,
    OrderState,
    PreservationEvent,
)
from diarium.archive.sip import Agent, PackageInfo, SipWriter
from diarium.archive.validation import Severity, validate_package
from diarium.audit.models import AuditEvent
from diarium.core.actors import INGEST
from tests import factories as f
from tests.workers import run_jobs

from .archived import archive_closed, building_case, diarium_agreement

pytestmark = pytest.mark.django_db
NS = {"e": ERMS_NS}


@pytest.fixture
def world(locations, tmp_path):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("reg", roles={ks.authority: "registrar"})
    agreement = diarium_agreement(ks.authority)
    case = building_case(reg, ks, secret_document=True)
    archive_closed(tmp_path / "export")
    package = ArchivedCase.objects.get(case=case).package
    return {"ks": ks, "reg": reg, "case": case, "package": package, "agreement": agreement,
            "archivist": f.user("ark", roles={ks.authority: "archivist"}),
            "second": f.user("ark2", roles={ks.authority: "archivist"})}


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        root = archive.namelist()[0].split("/", 1)[0]
        return {n[len(root) + 1:]: archive.read(n) for n in archive.namelist()
                if not n.endswith("/")}


def assert_valid(path) -> None:
    report = validate_package(path)
    errors = [f"{x.requirement}: {x.text('en')}" for x in report.findings
              if x.severity is Severity.ERROR]
    assert errors == []


def record(package, title: str):
    return package.records.get(title=title)


def test_a_whole_package_without_restrictions_is_delivered_at_once(world, tmp_path):
    reg, ks = world["reg"], world["ks"]
    plain = building_case(reg, ks, title="Strandskydd")
    archive_closed(tmp_path / "more")
    package = ArchivedCase.objects.get(case=plain).package
    order = services.order_dip(world["archivist"], package, recipient="Anna Andersson")
    assert order.state == OrderState.READY and order.whole_package
    delivery = services.deliver(world["archivist"], order)
    path = dip_dir() / delivery.file_name
    assert_valid(path)
    content = members(path)
    mets = etree.fromstring(content["METS.xml"])
    header = mets.find("{http://www.loc.gov/METS/}metsHdr")
    assert header.get("{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE") == "DIP"
    inventory = {f.path.removeprefix("submission/"): f.sha256 for f in package.files.all()}
    for item in delivery.files:
        assert hashlib.sha256(content[item["path"]]).hexdigest() == item["sha256"]
        assert inventory[item["source"]] == item["sha256"]
    assert len(delivery.files) == 4
    assert b"dissemination" in content["metadata/preservation/premis.xml"]
    erms = etree.fromstring(content["metadata/descriptive/erms.xml"])
    assert erms_problems(etree.ElementTree(erms)) == []
    assert hashlib.sha256(path.read_bytes()).hexdigest() == delivery.sha256
    assert PreservationEvent.objects.filter(package=package,
                                            event_type=EventType.DISSEMINATION).count() == 1
    assert AuditEvent.objects.filter(action="archive.dip_delivered").count() == 1
    assert services.deliver(world["archivist"], order).pk == delivery.pk  # once only


def test_a_restricted_record_needs_a_review_and_is_left_out_when_refused(world):
    package, ark = world["package"], world["archivist"]
    order = services.order_dip(ark, package, recipient="Journalist", purpose="Begäran")
    assert order.state == OrderState.REVIEW
    with pytest.raises(ValidationError):
        services.deliver(ark, order)
    secret = record(package, "Läkarintyg")
    assert secret.restriction == "OSL 25 kap. 1 §"
    order = services.review(world["second"], order, [
        services.ReviewItem(secret, Decision.REFUSE, "Hälsouppgifter, OSL 25:1")])
    assert order.state == OrderState.READY
    delivery = services.deliver(ark, order)
    content = members(dip_dir() / delivery.file_name)
    assert not any(name.endswith("intyg.txt") for name in content)
    assert b"bronkit" not in b"".join(content.values())
    assert delivery.refused == [secret.identifier]
    assert any(p.endswith("intyg.txt") for p in delivery.withheld)
    erms = etree.fromstring(content["metadata/descriptive/erms.xml"])
    ids = [e.text for e in erms.iterfind(".//e:record/e:objectId", NS)]
    assert secret.identifier not in ids and len(ids) == 4
    assert erms_problems(etree.ElementTree(erms)) == []
    assert secret.identifier in content["documentation/README.txt"].decode()
    log = json.loads(content["metadata/other/delivery.json"])
    assert log["refused"] == [secret.identifier] and log["reviews"][0]["decision"] == "refuse"
    assert "Hälsouppgifter" not in content["metadata/other/delivery.json"].decode()
    assert_valid(dip_dir() / delivery.file_name)
    assert delivery.order.reviews.get().reviewer == world["second"]


def test_release_with_masked_parts_delivers_the_masked_copy(world):
    package, ark = world["package"], world["archivist"]
    secret = record(package, "Läkarintyg")
    order = services.order_dip(ark, package, recipient="Försäkringskassan", records=[secret])
    assert {r.title for r in order.records.all()} >= {"Läkarintyg"}
    with pytest.raises(ValidationError):  # a masked copy needs the decision first
        services.add_masked_file(ark, order, secret, io.BytesIO(b"x"), "m.txt")
    services.review(ark, order, [services.ReviewItem(secret, Decision.MASK)])
    services.add_masked_file(ark, order, secret, io.BytesIO(b"Diagnos: [maskerad]\n"),
                             "intyg-maskerat.txt", "text/plain")
    delivery = services.deliver(ark, order)
    content = members(dip_dir() / delivery.file_name)
    data = {n: c for n, c in content.items() if "/data/" in n}
    assert list(data.values()) == [b"Diagnos: [maskerad]\n"]
    assert delivery.masked == [secret.identifier]
    erms = etree.fromstring(content["metadata/descriptive/erms.xml"])
    masked = next(r for r in erms.iterfind(".//e:record", NS)
              if r.findtext("e:objectId", namespaces=NS) == secret.identifier)
    assert masked.findtext("e:title", namespaces=NS) == "[Maskerad]"
    paths = [a.get("path") for a in masked.iterfind(".//e:appendix", NS)]
    assert paths == [next(iter(data))]
    assert_valid(dip_dir() / delivery.file_name)


def test_only_archivists_of_the_creator_order(world):
    bun = f.authority("BUN")
    with pytest.raises(PermissionDenied):
        services.order_dip(f.user(roles={bun: "archivist"}), world["package"], recipient="X")
    with pytest.raises(PermissionDenied):
        services.order_dip(world["reg"], world["package"], recipient="X")


def _rendition_sip(root):
    meta = PackageMeta(id="sip-renditions", title="Beslut med PDF/A", archive_creator="KS",
                       archive_creator_id="", submitting_organisation="Kommunen",
                       submitting_organisation_id="", producer_system="Ärendesystem",
                       submission_agreement="", reference_code="", start_date=None,
                       end_date=None, content_category="Mixed", contact_person="")
    files = [FileMeta(1, "1/beslut.docx", "Beslut"), FileMeta(2, "2/bilaga.txt", "Bilaga")]
    info = PackageInfo(objid=meta.id, label=meta.title, archivist=Agent("KS"),
                       submitter=Agent("Kommunen"), producer_system=meta.producer_system)
    with SipWriter(root, info) as sip:
        sip.add_data("1/beslut.docx", io.BytesIO(b"PK docx bytes"), mimetype=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        sip.add_data("1/beslut.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"), representation="rep2")
        sip.add_data("2/bilaga.txt", io.BytesIO(b"Bilaga.\n"))
        tree = erms_tree(meta, files)
        sip.add_descriptive("erms.xml", etree.tostring(tree.getroot()), other_mdtype="ERMS",
                            version="2.1.2")
        return sip.finish()


def test_chosen_records_come_with_their_renditions(world, tmp_path):
    path = _rendition_sip(tmp_path / "sips")
    package = ingest_package(INGEST, path, world["agreement"])
    assert package.state == "archived", package.report
    beslut = record(package, "Beslut")
    order = services.order_dip(world["archivist"], package, recipient="R", records=[beslut])
    assert order.paths == ["submission/representations/rep1/data/1/beslut.docx",
                           "submission/representations/rep2/data/1/beslut.pdf"]
    delivery = services.deliver(world["archivist"], order)
    content = members(dip_dir() / delivery.file_name)
    assert "representations/rep2/data/1/beslut.pdf" in content
    assert not any(n.endswith("bilaga.txt") for n in content)
    assert_valid(dip_dir() / delivery.file_name)
    by_path = services.order_dip(world["archivist"], package, recipient="R",
                                 paths=["representations/rep1/data/2/bilaga.txt"])
    assert by_path.paths == ["submission/representations/rep1/data/2/bilaga.txt"]
    with pytest.raises(ValidationError):
        services.order_dip(world["archivist"], package, recipient="R", paths=["nope.txt"])


def test_the_api_orders_reviews_delivers_and_downloads(world):
    client = APIClient()
    client.force_authenticate(world["archivist"])
    package = world["package"]
    created = client.post("/api/v1/archive/dip-orders/", {
        "package": str(package.pk), "recipient": "Anna", "records": []}, format="json")
    assert created.status_code == 201, created.content
    order = created.json()
    secret = record(package, "Läkarintyg")
    assert order["state"] == "review" and order["to_review"] == [secret.identifier]
    url = f"/api/v1/archive/dip-orders/{order['id']}/"
    assert client.post(f"{url}deliver/").status_code == 400
    reviewed = client.post(f"{url}review/", {"decisions": [
        {"record": secret.identifier, "decision": "mask", "note": "Diagnosen maskeras"}]},
        format="json")
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "ready"
    masked = client.post(f"{url}masked/", {
        "record": secret.identifier,
        "file": io.BytesIO(b"maskerad")}, format="multipart")
    assert masked.status_code == 201, masked.content
    queued = client.post(f"{url}deliver/")
    assert queued.status_code == 202, queued.content
    assert client.post(f"{url}deliver/").json()["id"] == queued.json()["id"]  # one build
    run_jobs()
    job = client.get(queued["Location"]).json()
    assert job["state"] == "succeeded" and job["page"] == f"/arkiv/bestallningar/{order['id']}/"
    delivered = client.post(f"{url}deliver/")
    assert delivered.status_code == 200, delivered.content
    body = delivered.json()
    assert body["id"] == job["result"]["delivery"]
    assert body["reviewers"] == ["ark"] and body["masked"] == [secret.identifier]
    download = client.get(f"/api/v1/archive/deliveries/{body['id']}/download/")
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == body["sha256"]
    log = client.get("/api/v1/archive/deliveries/").json()
    assert [d["id"] for d in log["results"]] == [body["id"]]
    assert AuditEvent.objects.filter(action="archive.dip_downloaded").count() == 1


def test_another_authoritys_archive_is_404_in_the_api(world):
    package = world["package"]
    order = services.order_dip(world["archivist"], package, recipient="R")
    bun = f.authority("BUN")
    client = APIClient()
    client.force_authenticate(f.user("bunark", roles={bun: "archivist"}))
    assert client.get(f"/api/v1/archive/packages/{package.pk}/").status_code == 404
    assert client.get(f"/api/v1/archive/dip-orders/{order.pk}/").status_code == 404
    created = client.post("/api/v1/archive/dip-orders/", {
        "package": str(package.pk), "recipient": "R"}, format="json")
    assert created.status_code == 404
    assert client.get("/api/v1/archive/dip-orders/").json()["count"] == 0
    assert client.get("/api/v1/archive/series/").json()["count"] == 0
    assert client.get("/api/v1/archive/agreements/").json()["count"] == 0
    client.force_authenticate(world["reg"])  # staff, not an archivist
    assert client.get("/api/v1/archive/dip-orders/").status_code == 403


def test_the_archivists_pages(world):
    web = Client()
    web.force_login(world["archivist"])
    package = world["package"]
    page = web.get(reverse("archive:package", args=[package.pk]))
    assert page.status_code == 200 and "Läkarintyg" in page.content.decode()
    answer = web.post(reverse("archive:order_new", args=[package.pk]),
                      {"recipient": "Anna Andersson", "purpose": "Forskning"})
    assert answer.status_code == 302
    order = package.dip_orders.get()
    secret = record(package, "Läkarintyg")
    page = web.get(reverse("archive:order", args=[order.pk]))
    assert "Läkarintyg" in page.content.decode()
    web.post(reverse("archive:order_review", args=[order.pk]),
             {f"decision_{secret.pk}": "refuse", f"note_{secret.pk}": "Sekretess"})
    order.refresh_from_db()
    assert order.state == OrderState.READY
    web.post(reverse("archive:order_deliver", args=[order.pk]))
    assert 'data-job-url="/api/v1/jobs/' in web.get(
        reverse("archive:order", args=[order.pk])).content.decode()
    run_jobs()
    delivery = Delivery.objects.get(order=order)
    assert delivery.refused == [secret.identifier]
    download = web.get(reverse("archive:delivery_download", args=[delivery.pk]))
    assert download.status_code == 200
    assert "Anna Andersson" in web.get(reverse("archive:deliveries")).content.decode()
    for name in ("orders", "structure", "agreements"):
        assert web.get(reverse(f"archive:{name}")).status_code == 200
    web.force_login(world["reg"])
    assert web.get(reverse("archive:order", args=[order.pk])).status_code == 403


def test_a_secret_cases_own_metadata_is_left_out_when_refused(world, tmp_path):
    secret_case = building_case(world["reg"], world["ks"], secret_case=True,
                                title="Orosanmälan")
    archive_closed(tmp_path / "more")
    package = ArchivedCase.objects.get(case=secret_case).package
    assert package.description.restricted
    ark = world["archivist"]
    order = services.order_dip(ark, package, recipient="IVO")
    restricted = [r for r in order.records.all() if r.restricted]
    assert len(restricted) == order.records.count() == 5  # the case and its 4 documents
    case_record = next(r for r in restricted if r.kind == "aggregation")
    services.review(ark, order, [
        services.ReviewItem(r, Decision.REFUSE if r == case_record else Decision.RELEASE)
        for r in restricted])
    delivery = services.deliver(ark, order)
    content = members(dip_dir() / delivery.file_name)
    assert "metadata/descriptive/erms.xml" not in content
    assert b"Orosan" not in b"".join(content.values())
    assert len([n for n in content if "/data/" in n]) == 4
    assert delivery.refused == [case_record.identifier]
    assert_valid(dip_dir() / delivery.file_name)
