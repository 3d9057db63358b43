"""export-cases --ingest: closed cases become archived packages without re-keying, each
case linked to its package; idempotent; the case page and API show where it is archived."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.archive import transfer
from diarium.archive.erms import ingesting
from diarium.archive.models import ArchivedCase, Package, PackageState
from diarium.audit.models import AuditEvent
from diarium.registry import services
from tests import factories as f

from .archived import building_case, diarium_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(locations, tmp_path):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("reg", roles={ks.authority: "registrar"})
    diarium_agreement(ks.authority)
    return {"ks": ks, "reg": reg, "out": tmp_path / "export"}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("archive", "export-cases", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_closed_cases_are_archived_once_and_linked(world):
    first = building_case(world["reg"], world["ks"])
    second = building_case(world["reg"], world["ks"], title="Strandskyddsdispens")
    f.case(world["reg"], world["ks"], title="Fortfarande öppet")
    text = run("--ingest", "--out", str(world["out"]))
    assert "2 case(s) archived, 0 failed." in text
    links = {link.case_id: link for link in ArchivedCase.objects.all()}
    assert set(links) == {first.pk, second.pk}
    for case in (first, second):
        link = links[case.pk]
        assert link.version == 1 and link.objid == f"diarium-{case.pk}-v1"
        assert link.package.state == PackageState.ARCHIVED
        assert link.package.description.reference == case.diary_number
        assert link.package.description.series.code == "3.1"
    # The SIPs were removed once archived: the AIP holds them.
    assert not list(world["out"].glob("diarium-*"))
    assert AuditEvent.objects.filter(action="archive.case_archived").count() == 2

    again = run("--ingest", "--out", str(world["out"]))
    assert "0 case(s) archived, 0 failed." in again
    assert ArchivedCase.objects.count() == 2 and Package.objects.count() == 2


def test_a_case_closed_again_is_archived_as_a_new_version(world):
    case = building_case(world["reg"], world["ks"])
    run("--ingest", "--out", str(world["out"]), "--keep", "--zip")
    assert (world["out"] / f"diarium-{case.pk}-v1.zip").is_file()  # --keep
    services.reopen_case(world["reg"], case)
    services.close_case(world["reg"], case, "Kompletterat.")
    assert "1 case(s) archived" in run("--ingest", "--out", str(world["out"]))
    versions = list(ArchivedCase.objects.filter(case=case).values_list("version", flat=True))
    assert versions == [2, 1]
    assert Package.objects.count() == 2


def test_without_an_agreement_nothing_is_archived_and_the_run_fails(world):
    other = f.series(f.authority("BUN"), "BUN")
    reg = f.user(roles={other.authority: "registrar"})
    building_case(reg, other)
    with pytest.raises(CommandError) as failed:
        run("--ingest", "--out", str(world["out"]))
    assert failed.value.returncode == 1
    assert not ArchivedCase.objects.exists()


def test_watch_runs_passes_until_stopped(world, monkeypatch):
    building_case(world["reg"], world["ks"])
    passes = []

    def once(pass_once, interval, stop, before_pass=None):
        passes.append(pass_once())
        stop.set()

    monkeypatch.setattr(ingesting, "watch", once)
    run("--ingest", "--watch", "--interval", "1", "--out", str(world["out"]))
    assert len(passes) == 1 and ArchivedCase.objects.count() == 1


def test_watch_loop_stops_on_its_event():
    stop = threading.Event()
    calls = []

    def once():
        calls.append(1)
        if len(calls) == 3:
            stop.set()

    transfer.watch(once, 0.01, stop)
    assert len(calls) == 3


def test_watch_needs_ingest(world):
    with pytest.raises(CommandError):
        run("--watch", "--out", str(world["out"]))


def test_case_page_and_api_show_where_the_case_is_archived(world):
    case = building_case(world["reg"], world["ks"])
    run("--ingest", "--out", str(world["out"]))
    link = ArchivedCase.objects.get(case=case)
    web = Client()
    web.force_login(world["reg"])
    page = web.get(reverse("registry:case", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert link.objid in html and str(link.package.pk) in html
    api = APIClient()
    api.force_authenticate(world["reg"])
    body = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["archived_in"][0]["objid"] == link.objid
    assert body["archived_in"][0]["package"] == str(link.package.pk)
    listed = api.get("/api/v1/cases/").json()["results"]
    assert next(c["archived_in"] for c in listed if c["id"] == str(case.pk))[0]["version"] == 1
