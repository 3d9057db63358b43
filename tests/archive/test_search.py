"""Search over archived packages: by metadata and by the text inside files (text, PDF,
XML), permission-aware (only the creator's authority) and secrecy-aware (restricted
records and packages only for archivists)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from diarium.archive import finding
from diarium.archive.catalogue.indexing import KIND, distinct_words
from diarium.archive.catalogue.text import MAX_TEXT, extract_text
from diarium.archive.models import ArchivedCase
from diarium.search.backends import index_body
from diarium.search.models import SearchEntry
from tests import factories as f

from .archived import archive_closed, building_case, diarium_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(locations, tmp_path):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    bun = f.series(f.authority("BUN", name="Barn- och utbildningsnämnden"), "BUN")
    reg = f.user("reg", roles={ks.authority: "registrar"})
    bun_reg = f.user("bunreg", roles={bun.authority: "registrar"})
    diarium_agreement(ks.authority)
    diarium_agreement(bun.authority)
    open_case = building_case(reg, ks, secret_document=True)
    secret_case = building_case(reg, ks, secret_case=True,
                                title="Orosanmälan gällande familjen Hemlig")
    bun_case = building_case(bun_reg, bun, title="Skolskjuts för elev vid Norrskolan")
    archive_closed(tmp_path / "export")
    package = {c.pk: ArchivedCase.objects.get(case=c).package
               for c in (open_case, secret_case, bun_case)}
    return {
        "archivist": f.user("ark", roles={ks.authority: "archivist"}),
        "officer": f.user("hand", roles={ks.authority: "officer"}),
        "bun_archivist": f.user("bunark", roles={bun.authority: "archivist"}),
        "open": package[open_case.pk], "secret": package[secret_case.pk],
        "bun": package[bun_case.pk], "open_case": open_case,
    }


def found(user, text: str = "", **criteria) -> set:
    query = finding.ArchiveQuery(text=text, **criteria)
    return {p.pk for p in finding.search_packages(user, query)}


def test_metadata_and_file_text_are_found_with_swedish_stemming(world):
    ark, open_package = world["archivist"], world["open"].pk
    assert found(ark, reference=world["open_case"].diary_number) == {open_package}
    assert found(ark, reference=f"{world['open_case'].diary_number}:2") == {open_package}
    assert found(ark, "fritidshusen") == {open_package, world["secret"].pk}  # title
    assert found(ark, "carporten") == {open_package, world["secret"].pk}  # ansökan.txt
    assert found(ark, "kontrollansvarig Persson") == {open_package, world["secret"].pk}  # PDF
    assert found(ark, "entresolplan") == {open_package, world["secret"].pk}  # XML
    assert found(ark, "Kommunstyrelsen") == {open_package, world["secret"].pk}  # creator
    assert found(ark, "ingenting sådant") == set()


def test_hits_name_the_matching_records_and_files(world):
    ark = world["archivist"]
    packages = [world["open"]]
    hits = finding.hits(ark, "entresolplan", packages)[world["open"].pk]
    assert [f.path.rsplit("/", 1)[-1] for f in hits.files] == ["ritningar.xml"]
    hits = finding.hits(ark, "Ritningsförteckning", packages)[world["open"].pk]
    assert [r.title for r in hits.records] == ["Ritningsförteckning"]


def test_restricted_text_and_packages_are_found_only_by_archivists(world):
    ark, officer = world["archivist"], world["officer"]
    # The secret medical certificate's text, in an open package.
    assert found(ark, "bronkit") == {world["open"].pk}
    assert found(officer, "bronkit") == set()
    assert found(officer, "Läkarintyg") == set()  # the restricted record's title
    # The open parts of the open package are found by other staff of the authority.
    assert found(officer, "carporten") == {world["open"].pk}
    hits = finding.hits(officer, "kronisk fritidshus", [world["open"]])
    assert hits[world["open"].pk].files == []
    # The secret case's package does not exist for them at all.
    assert found(ark, "Orosanmälan") == {world["secret"].pk}
    assert found(officer, "Orosanmälan") == set()
    assert world["secret"].pk not in found(officer)


def test_another_authoritys_packages_are_never_found(world):
    assert found(world["archivist"], "Norrskolan") == set()
    assert found(world["officer"], "skolskjuts") == set()
    assert found(world["bun_archivist"], "skolskjuts") == {world["bun"].pk}
    assert found(world["bun_archivist"], "carporten") == {world["bun"].pk}  # its own only


def test_filters_by_series_and_period(world):
    ark = world["archivist"]
    series = world["open"].description.series
    assert found(ark, series=series.pk) == {world["open"].pk, world["secret"].pk}
    day = world["open"].description.end_date
    assert world["open"].pk in found(ark, date_from=day, date_to=day)
    assert found(ark, date_from=day.replace(year=day.year + 1)) == set()


def test_api_search_for_staff_with_hits(world):
    client = APIClient()
    client.force_authenticate(world["officer"])
    body = client.get("/api/v1/archive/search/", {"q": "carporten"}).json()
    assert [r["id"] for r in body["results"]] == [str(world["open"].pk)]
    assert [x["path"].rsplit("/", 1)[-1] for x in body["results"][0]["files"]] == ["ansökan.txt"]
    assert client.get("/api/v1/archive/search/", {"q": "bronkit"}).json()["count"] == 0
    client.force_authenticate(world["archivist"])
    body = client.get("/api/v1/archive/search/", {"q": "bronkit"}).json()
    assert body["count"] == 1
    client.force_authenticate(f.user("nobody"))
    assert client.get("/api/v1/archive/search/", {"q": "carporten"}).status_code == 403


def test_search_page(world):
    web = Client()
    web.force_login(world["officer"])
    page = web.get(reverse("archive:search"), {"q": "carporten"})
    assert page.status_code == 200
    html = page.content.decode()
    assert world["open_case"].diary_number in html and "ansökan.txt" in html
    assert "intyg.txt" not in web.get(reverse("archive:search"), {"q": "bronkit"}).content.decode()
    web.force_login(world["archivist"])
    html = web.get(reverse("archive:search"), {"q": "bronkit"}).content.decode()
    assert "intyg.txt" in html


def test_reindex_rebuilds_the_index(world):
    SearchEntry.objects.filter(kind=KIND).delete()
    assert found(world["archivist"], "carporten") == set()
    out = io.StringIO()
    call_command("archive", "reindex", stdout=out)
    assert "3 package(s) indexed" in out.getvalue()
    assert found(world["archivist"], "carporten") == {world["open"].pk, world["secret"].pk}
    call_command("archive", "reindex", "--missing", stdout=out)
    assert "0 package(s) indexed" in out.getvalue()


def test_text_is_limited_per_file_and_entries_keep_distinct_words(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("ord " * (MAX_TEXT // 2) + "sista")
    text = extract_text(lambda: big.open("rb"), "text")
    assert len(text) == MAX_TEXT and "sista" not in text
    assert distinct_words("hus hus Hus båt hus") == "hus båt"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not a pdf")
    assert extract_text(lambda: broken.open("rb"), "pdf") == ""


def test_a_reindex_beside_another_writes_over_the_keys_the_other_wrote(world, monkeypatch):
    # Another indexing of the package wrote its entries after this one removed them: what
    # this one inserts finds its keys taken, and writes over them instead of failing.
    from diarium.archive.catalogue import indexing

    package = world["open"]
    keys = set(SearchEntry.objects.filter(kind=KIND, owner=package.pk)
               .values_list("key", flat=True))
    assert any(k.startswith("aipfile:") for k in keys) and f"package:{package.pk}" in keys
    SearchEntry.objects.filter(kind=KIND, owner=package.pk).update(body=index_body("gammal"))
    monkeypatch.setattr(indexing, "remove_owned", lambda kind, owner: None)
    assert indexing.index_package(package) > 0
    after = list(SearchEntry.objects.filter(kind=KIND, owner=package.pk)
                 .values_list("key", flat=True))
    assert sorted(after) == sorted(keys)
    assert found(world["archivist"], "carporten") == {package.pk, world["secret"].pk}
    assert package.pk not in found(world["archivist"], "gammal")
