"""The archivist's lists name packages as people know them: a package holding a registry
case by the case's diary number and title (a secret title only for the case's access
group), any other by its own title; one set of queries for the whole page. The search's
series filter tells apart same-named series of different boards."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diarium.archive import naming, services
from diarium.archive.ingest import ingest_package
from diarium.archive.models import ArchivedCase, ArchiveSeries, Package
from diarium.audit.models import AuditEvent
from diarium.core import visibility
from diarium.core.actors import OPERATOR
from diarium.organisation.models import RoleAssignment
from tests import factories as f

from .archived import archive_closed, building_case, diarium_agreement
from .conftest import sip

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Orosanmälan gällande familjen Hemlig"


@pytest.fixture
def world(locations, tmp_path):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("reg", roles={ks.authority: "registrar"})
    archivist = f.user("ark", roles={ks.authority: "archivist"})
    agreement = diarium_agreement(ks.authority)
    open_case = building_case(reg, ks)
    secret_case = building_case(reg, ks, secret_case=True, title=SECRET_TITLE)
    archive_closed(tmp_path / "export")
    other = ingest_package(archivist, sip(tmp_path / "in", "sip-ekonomi-2024"), agreement)
    return {"ks": ks, "reg": reg, "archivist": archivist, "open_case": open_case,
            "secret_case": secret_case, "other": other, "tmp": tmp_path,
            "officer": f.user("hand", roles={ks.authority: "officer"})}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(html: str) -> list[str]:
    """The text of each row header of the package table."""
    found = re.findall(r'<th scope="row">(.*?)</th>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


def test_the_package_list_shows_the_cases_diary_number_and_title(world):
    html = client_for(world["archivist"]).get(reverse("archive:packages")).content.decode()
    shown = rows(html)
    open_case, secret_case = world["open_case"], world["secret_case"]
    open_objid = ArchivedCase.objects.get(case=open_case).objid
    assert any(row.startswith(f"{open_case.diary_number} {open_case.title}")
               and open_objid in row for row in shown), shown  # the id stays, second
    # The archivist is in the secret case's access group: its title, audited as read.
    assert any(row.startswith(f"{secret_case.diary_number} {SECRET_TITLE}") for row in shown)
    assert AuditEvent.objects.filter(action="secret.read", case_id=secret_case.pk).exists()
    # A package holding no registry case: its own title (the SIP's label), then its id.
    assert "Testleverans Paket sip-ekonomi-2024" in shown


def test_a_secret_title_is_withheld_from_those_outside_the_access_group(world):
    packages = [ArchivedCase.objects.get(case=world["secret_case"]).package,
                ArchivedCase.objects.get(case=world["open_case"]).package]
    with visibility.policy_for(world["officer"]).page("test") as shown:
        naming.name_packages(shown, packages)
    secret, plain = (p.shown_name for p in packages)
    assert secret == naming.PackageName(world["secret_case"].diary_number, "Bygglov",
                                        withheld=True)  # the public title only
    assert SECRET_TITLE not in str(secret)
    assert plain == naming.PackageName(world["open_case"].diary_number,
                                       world["open_case"].title)


def test_search_results_name_the_case(world):
    html = client_for(world["officer"]).get(reverse("archive:search"),
                                            {"q": "carporten"}).content.decode()
    heading = " ".join(re.sub(r"<[^>]+>", " ", re.search(r"<h3>(.*?)</h3>", html, re.S)
                              .group(1)).split())
    assert heading == f"{world['open_case'].diary_number} {world['open_case'].title}"


def queries_for(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_list_costs_the_same_queries_for_three_packages_as_for_six(world):
    client = client_for(world["archivist"])
    url = reverse("archive:packages")
    client.get(url)  # sessions, caches: warm
    before, _html = queries_for(client, url)
    for n in range(3):
        building_case(world["reg"], world["ks"], secret_case=n == 0, title=f"Ärende {n}")
    archive_closed(world["tmp"] / "export-2")
    after, html = queries_for(client, url)
    assert len(rows(html)) == 6 and "Ärende 2" in html
    assert after == before, (before, after)


def test_the_series_filter_names_each_series_board(world, tmp_path):
    bun = f.authority("BUN", name="Barn- och utbildningsnämnden")
    archivist = world["archivist"]
    RoleAssignment.objects.create(user=archivist, authority=bun, role="archivist")
    ks_creator = services.ensure_archive_creator(OPERATOR, world["ks"].authority)
    bun_creator = services.ensure_archive_creator(OPERATOR, bun, "212000-0001")
    ks_series = ArchiveSeries.objects.get_or_create(
        creator=ks_creator, code="3.1", defaults={"title": "Bygglov"})[0]
    ArchiveSeries.objects.filter(pk=ks_series.pk).update(title="Bygglov")
    bun_series = ArchiveSeries.objects.create(creator=bun_creator, code="3.1", title="Bygglov")
    html = client_for(archivist).get(reverse("archive:search")).content.decode()
    select = re.search(r'<select name="series".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    labels = {label: re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', body)
              for label, body in groups}
    assert labels["Barn- och utbildningsnämnden (BUN)"] == [
        (str(bun_series.pk), "3.1 Bygglov (BUN)")]
    assert (str(ks_series.pk), "3.1 Bygglov (KS)") in labels["Kommunstyrelsen (KS)"]
    # Choosing one filters by it; a series of a board the archivist has not is refused.
    search = reverse("archive:search")
    assert client_for(archivist).get(search, {"series": ks_series.pk}).content.decode().count(
        'class="archive-hit"') == 2  # the two cases' packages, classified 3.1
    assert 'class="archive-hit"' not in client_for(archivist).get(
        search, {"series": bun_series.pk}).content.decode()
    other = ArchiveSeries.objects.create(
        creator=services.ensure_archive_creator(OPERATOR, f.authority("MBN")), code="3.1")
    refused = client_for(archivist).get(search, {"series": other.pk}).content.decode()
    assert "has-error" in refused and 'class="archive-hit"' not in refused


# --- the archive's pages in Swedish (and in English) ----------------------------------

ENGLISH_SUMMARIES = re.compile(
    r"Valid as|Not valid|\d+ warnings?\b|files? checked|read back and verified|"
    r"made from SIP|checksums the SIP declares|all files match|: verify\b|, verify\b|"
    r"\bvalidate\b|\bWARN\b|\bINFO\b")


def test_the_package_page_speaks_swedish_with_plural_forms(world, tmp_path):
    from diarium.archive.tasks import start_ingest
    from tests.workers import run_jobs

    agreement = world["other"].agreement
    source = sip(tmp_path / "in2", "sip-ekonomi-2025")
    job = start_ingest(world["archivist"], path=source, agreement=agreement.reference)
    run_jobs()
    job.refresh_from_db()
    package = Package.objects.get(pk=job.result["package"])
    client = client_for(world["archivist"])
    html = client.get(reverse("archive:package", args=[package.pk])).content.decode()
    assert ENGLISH_SUMMARIES.search(html) is None, ENGLISH_SUMMARIES.search(html).group(0)
    assert re.search(r"Giltigt som E-ARK [^:<]*: \d+ varning(ar)?, \d+ filer kontrollerade",
                     html)
    assert "Skriven, tömd till disk, läst tillbaka och verifierad" in html
    assert "verifierar kopiorna" in html or "klart" in html  # the last job's phase
    # The job page: its phase and its result in Swedish too.
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    log = re.search(r"<pre>.*</pre>", page, re.S)  # the technical log may stay technical
    assert log and ENGLISH_SUMMARIES.search(page.replace(log.group(0), "")) is None
    assert re.search(r"<dt>Paket</dt><dd>sip-ekonomi-2025</dd>\s*<dt>[^<]+</dt><dd>Arkiverad</dd>",
                     page), page[page.find("<dl>", page.find("Resultat")):][:400]
    # The same page in English.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("archive:package", args=[package.pk])).content.decode()
    assert re.search(r"Valid as E-ARK [^:<]*: \d+ warnings?, \d+ files checked", english)
    assert "Written, flushed, read back and verified" in english
    assert "Giltigt som" not in english


def test_summaries_count_in_both_languages():
    from django.utils import translation

    from diarium.archive.event_text import Summary

    one = Summary("validation.valid", {"rules": "E-ARK SIP 2.1", "fgs": True, "strict": False,
                                       "warnings": 1, "files": 1})
    two = Summary("validation.invalid", {"errors": 2, "requirements": "CSIP1, CSIP2",
                                         "warnings": 2})
    with translation.override("sv"):
        assert one.text() == ("Giltigt som E-ARK SIP 2.1 (FGS Paketstruktur 2.0): 1 varning, "
                              "1 fil kontrollerad")
        assert two.text() == "Inte giltigt: 2 fel (CSIP1, CSIP2), 2 varningar"
    assert one.english() == ("Valid as E-ARK SIP 2.1 (FGS Paketstruktur 2.0): 1 warning, "
                             "1 file checked")
    assert two.english() == "Not valid: 2 errors (CSIP1, CSIP2), 2 warnings"


def test_a_job_phase_is_shown_in_the_readers_language():
    from django.utils import translation

    from diarium.core.jobs.models import Job

    job = Job(kind="archive.ingest", message="verify", done=5, total=5)
    with translation.override("sv"):
        assert job.message_label == "verifierar kopiorna"
    with translation.override("en"):
        assert job.message_label == "verifying the copies"
    assert Job(kind="archive.export_cases", message="KS 2026/4").message_label == "KS 2026/4"


def test_the_package_page_is_headed_by_the_case(world):
    case = world["open_case"]
    package = ArchivedCase.objects.get(case=case).package
    html = client_for(world["archivist"]).get(
        reverse("archive:package", args=[package.pk])).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert heading.strip() == f"{case.diary_number} {case.title}"
    assert f"<dd>{package.objid}</dd>" in html  # the package id, as a fact below
