"""The public projection follows every registration change in the same transaction, and
holds public fields only."""

import pytest
from django.test import Client

from diarium.core.actors import OPERATOR
from diarium.plan.services import set_publishable
from diarium.public import projector
from diarium.public.models import PublicCase, PublicDocument, PublicFile
from diarium.registry import services
from tests.public.world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw():
    return build()


def page(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_a_registration_is_public_at_once_with_its_public_fields_only(pw):
    row = PublicCase.objects.get(pk=pw.open_case.pk)
    assert row.public_title == "Bygglov för förråd"
    assert row.organisations == "Bygg AB"
    html = page(f"/insyn/arende/{pw.open_case.pk}/")
    assert "Bygglov för förråd" in html and "Bygg AB" in html
    assert "Intern rubrik" not in html and "Sven Svensson" not in html
    assert "20150607" not in html
    doc = PublicDocument.objects.get(pk=pw.letter.pk)
    assert doc.counterpart == "Bygg AB" and doc.record_type == "Bygglovsansökan"


def test_a_secret_case_shows_its_number_date_and_ground_only(pw):
    row = PublicCase.objects.get(pk=pw.secret_case.pk)
    assert row.is_secret and row.public_title == "" and row.status == ""
    assert row.secrecy_ground == "Sekretess enligt OSL 26 kap. 1 §"
    html = page(f"/insyn/arende/{pw.secret_case.pk}/")
    assert pw.secret_case.diary_number in html
    assert "Sekretess enligt OSL 26 kap. 1 §" in html
    assert "Intern rubrik" not in html
    assert f"/insyn/begar/?document={pw.secret_doc.pk}" in html
    assert not PublicFile.objects.filter(document_id=pw.secret_doc.pk).exists()


def test_files_only_of_publishable_record_types(pw):
    item = PublicFile.objects.get(document_id=pw.letter.pk)
    response = Client().get(f"/insyn/fil/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Ansokan om bygglov"
    assert "ansokan" not in response["Content-Disposition"]  # named by number, not by name
    set_publishable(OPERATOR, pw.letter.record_type, False)
    assert not PublicFile.objects.filter(document_id=pw.letter.pk).exists()
    assert Client().get(f"/insyn/fil/{item.pk}/").status_code == 404
    html = page(f"/insyn/handling/{pw.letter.pk}/")
    assert f"/insyn/begar/?document={pw.letter.pk}" in html


def test_changes_reflect_at_once(pw):
    reg = pw.w.registrator
    services.update_case(reg, pw.open_case, services.CaseData(
        title=pw.open_case.title, public_title="Nytt namn på ärendet"))
    assert PublicCase.objects.get(pk=pw.open_case.pk).public_title == "Nytt namn på ärendet"
    assert "Nytt namn" in page("/insyn/sok/?q=namn")
    services.update_case(reg, pw.open_case, services.CaseData(
        title=pw.open_case.title, public_title="Nytt namn på ärendet",
        secrecy=services.Secrecy("OSL 26:1")))
    row = PublicCase.objects.get(pk=pw.open_case.pk)
    assert row.is_secret and row.public_title == "" and row.organisations == ""
    assert not PublicFile.objects.filter(document__case=row).exists()
    assert "Nytt namn" not in page("/insyn/sok/?q=namn")
    services.void_document(reg, pw.secret_doc, "Fel ärende")
    services.void_case(reg, pw.secret_case, "Fel")
    assert PublicCase.objects.filter(pk=pw.secret_case.pk).exists()  # voided stays visible


def test_a_voided_open_document_shows_as_voided_without_files(pw):
    services.void_document(pw.w.registrator, pw.letter, "Fel")
    row = PublicDocument.objects.get(pk=pw.letter.pk)
    assert row.status == "voided"
    assert not row.files.exists()
    assert "Makulerad" in page(f"/insyn/handling/{pw.letter.pk}/")


def test_rebuild_is_idempotent_and_repairs(pw):
    def snapshot():
        return (sorted(PublicCase.objects.values_list("pk", "public_title", "is_secret")),
                sorted(PublicDocument.objects.values_list("pk", "public_title", "status")),
                sorted(PublicFile.objects.values_list("pk", "content")))

    before = snapshot()
    projector.rebuild()
    projector.rebuild()
    assert snapshot() == before
    PublicCase.objects.filter(pk=pw.open_case.pk).update(public_title="tampered")
    PublicDocument.objects.filter(pk=pw.letter.pk).delete()
    projector.rebuild()
    assert snapshot() == before


def test_search_finds_public_words_and_numbers_never_internal_ones(pw):
    assert pw.open_case.diary_number in page("/insyn/sok/?q=förråd")
    assert pw.open_case.diary_number not in page("/insyn/sok/?q=Intern")
    assert pw.open_case.diary_number not in page("/insyn/sok/?q=Svensson")
    html = page(f"/insyn/sok/?q={pw.secret_case.diary_number}")
    assert "Sekretess enligt" in html
    assert pw.letter.case.diary_number in page("/insyn/sok/?q=bygglov&kind=documents")


def test_filters(pw):
    number = pw.open_case.diary_number
    assert number in page("/insyn/sok/?authority=KS&status=open")
    assert number not in page("/insyn/sok/?authority=BUN")
    assert number in page("/insyn/sok/?direction=incoming&record_type=Bygglovsansökan")
    assert number not in page("/insyn/sok/?direction=outgoing")
    assert number not in page("/insyn/sok/?date_from=2999-01-01")


def test_postlista_and_feeds(pw):
    html = page("/insyn/postlista/KS/")
    assert pw.letter.case.diary_number in html and "Ansökan om bygglov" in html
    for kind in ("rss", "atom"):
        feed = page(f"/insyn/postlista/KS/{kind}/")
        assert "Ansökan om bygglov" in feed and "Intern" not in feed
    assert Client().get("/insyn/postlista/NOPE/").status_code == 404


def test_bad_input_is_a_clear_answer_never_a_500(pw):
    client = Client()
    assert client.get("/insyn/sok/?q=" + "a" * 5000).status_code == 400
    assert client.get("/insyn/sok/?page=99999999999999999999999").status_code == 200
    assert client.get("/insyn/sok/?page=-5").status_code == 200
    assert client.get("/insyn/sok/?date_from=2026-13-45").status_code == 400
    assert client.get("/insyn/sok/?date_from=2026-05-01&date_to=2026-01-01").status_code == 400
    assert client.get("/insyn/postlista/?dagar=999999999999").status_code == 200
    assert client.get("/api/public/v1/cases/?q=" + "a" * 5000).status_code == 400
    assert client.get("/api/public/v1/cases/?page=10000000000000000").status_code == 200
    assert client.get("/api/public/v1/cases/?status=nope").status_code == 400
    assert client.get("/insyn/arende/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_search_is_rate_limited_per_client(pw, settings):
    settings.PUBLIC_RATE = "3/minute"
    client = Client()
    answers = [client.get("/insyn/sok/?q=bygglov").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.get("/api/public/v1/cases/").status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get("/insyn/sok/?q=bygglov").status_code == 200


def test_registers_list_kept_in_order_places_and_systems(pw):
    from diarium.plan.services import SystemData, create_system
    from diarium.public import registers

    create_system(OPERATOR, pw.w.ks.authority.municipality, SystemData(
        name="Bygglovssystemet", owner=pw.w.ks.authority, description="Ärenden om bygglov",
        record_type_ids=[pw.letter.record_type_id]))
    registers.refresh()
    html = page("/insyn/register/")
    assert "Protokollsserien" in html and "Kallelse" in html
    assert "Bygglovssystemet" in html and "Ärenden om bygglov" in html
    assert "/insyn/begar/" in html


def test_start_page_links_to_the_other_public_parts(pw):
    html = page("/insyn/")
    for link in ("/insyn/moten/", "/insyn/anslagstavla/", "/insyn/begar/", "/insyn/postlista/"):
        assert link in html


def test_a_draft_is_never_public(pw):
    reg = pw.w.registrator
    import io

    draft = services.create_draft(reg, pw.open_case, services.DocumentData(
        direction="internal", title="Utkast", document_date=pw.letter.document_date),
        services.Upload(io.BytesIO(b"utkast"), "utkast.txt"))
    assert not PublicDocument.objects.filter(pk=draft.pk).exists()
    services.finalise(reg, draft)
    assert PublicDocument.objects.filter(pk=draft.pk).exists()


def test_the_repair_job_and_command(pw):
    from django.core.management import call_command

    from diarium.core.jobs import services as jobs
    from tests.workers import run_jobs

    PublicCase.objects.filter(pk=pw.open_case.pk).update(public_title="tampered")
    job = jobs.start("public.rebuild", principal="system:operator")
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result["cases"] == 2
    assert PublicCase.objects.get(pk=pw.open_case.pk).public_title == "Bygglov för förråd"
    PublicDocument.objects.all().delete()
    call_command("public", "rebuild")
    assert PublicDocument.objects.count() == 2


def test_the_demo_fills_the_public_diary():
    from django.core.management import call_command

    call_command("demo", verbosity=0)
    assert PublicCase.objects.filter(is_secret=True).exists()
    assert PublicCase.objects.filter(is_secret=False).exclude(public_title="").exists()
    assert PublicFile.objects.exists()  # the demo's publishable record types
    call_command("public", "rebuild")  # and a rebuild agrees with what the signals wrote
    assert PublicFile.objects.exists()


def test_staff_publish_a_record_type_from_the_plan_page(pw):
    from diarium.plan.models import Plan
    from tests import factories as f

    record_type = pw.letter.record_type
    plan = Plan.objects.get(authority=pw.w.ks.authority)
    url = f"/plan/{plan.pk}/handlingstyper/{record_type.pk}/publicering/"
    editor = Client()
    reader = Client()
    reader.force_login(f.user("reader1", roles={pw.w.ks.authority: "reader"}))
    assert url not in reader.get(f"/plan/{plan.pk}/").content.decode()
    reader.post(url, {"publishable": "0"})  # refused: a reader edits no plan
    record_type.refresh_from_db()
    assert record_type.publishable
    assert PublicFile.objects.filter(document_id=pw.letter.pk).exists()
    editor = Client()
    editor.force_login(pw.w.archivist)  # an archivist edits the plans, the base plan too
    assert url in editor.get(f"/plan/{plan.pk}/").content.decode()
    assert editor.post(url, {"publishable": "0"}).status_code == 302
    record_type.refresh_from_db()
    assert not record_type.publishable
    assert not PublicFile.objects.filter(document_id=pw.letter.pk).exists()


def test_a_public_host_name_serves_the_public_diary_only(pw, settings):
    settings.PUBLIC_HOST = "insyn.example.se"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "insyn.example.se"]
    client = Client(HTTP_HOST="insyn.example.se")
    home = client.get("/")
    assert home.status_code == 200 and "offentliga diarium" in home.content.decode()
    assert client.get(f"/arende/{pw.open_case.pk}/").status_code == 200
    assert client.get("/api/public/v1/cases/").status_code == 200
    for sibling in ("/insyn/begar/", "/insyn/anslagstavla/", "/insyn/moten/"):
        assert client.get(sibling).status_code == 200, sibling  # the other public pages
    for staff in ("/registrera/", "/api/v1/cases/", "/admin/", "/plan/", "/begaranden/",
                  "/sammantraden/"):
        assert client.get(staff).status_code == 404, staff
    # The language switch works on the public host too, and the page says its language.
    assert '<html lang="sv">' in home.content.decode()
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english and ">Svenska</button>" in english


def test_a_private_persons_name_or_number_in_a_public_title_is_scrubbed(pw):
    services.update_case(pw.w.registrator, pw.open_case, services.CaseData(
        title=pw.open_case.title,
        public_title="Bygglov för sven svensson (20150607-2386) och 19811218-9876"))
    row = PublicCase.objects.get(pk=pw.open_case.pk)
    assert "svensson" not in row.public_title.lower()
    assert "2386" not in row.public_title and "9876" not in row.public_title
    assert row.public_title.startswith("Bygglov för […]")


def test_a_new_case_is_projected_as_a_rebuild_would_and_its_board_follows_a_rename(pw):
    """Opening a case writes its public rows without reading or replacing anything (the
    registry's signal says the case is new): the rows must be those a full refresh
    writes, for an open and a secret case, and the board's public row still follows a
    change of its name (it is written only when it differs)."""
    from diarium.organisation.models import Authority
    from diarium.public.models import PublicAuthority
    from diarium.search.models import SearchEntry

    reg, ks = pw.w.registrator, pw.w.ks
    Authority.objects.filter(pk=ks.authority_id).update(name="Kommunstyrelsen (ny)")
    opened = [
        services.open_case(reg, ks, services.CaseData(title="Intern", public_title="Nytt")),
        services.open_case(reg, ks, services.CaseData(
            title="Hemligt", public_title="Hemligt", secrecy=services.Secrecy("OSL 26:1"))),
    ]
    assert PublicAuthority.objects.get(pk=ks.authority_id).name == "Kommunstyrelsen (ny)"

    def rows():
        ids = [c.pk for c in opened]
        cases = PublicCase.objects.filter(pk__in=ids).order_by("number").values(
            "pk", "diary_number", "public_title", "status", "opened_on", "is_secret",
            "secrecy_ground", "organisations")
        entries = SearchEntry.objects.filter(
            key__in=[f"public_case:{pk}" for pk in ids]).order_by("key").values(
            "key", "body", "secret", "restricted")
        return list(cases), list(entries)

    as_opened = rows()
    assert [c["public_title"] for c in as_opened[0]] == ["Nytt", ""]
    assert len(as_opened[1]) == 2
    projector.refresh_cases([c.pk for c in opened])
    assert rows() == as_opened


def test_projecting_a_new_case_leaves_the_registrys_object_as_it_was():
    """The projection reads a new case as having no documents without a query, on a copy:
    the object the registry's service returns still reads its documents from the
    database (a document added after opening is there)."""
    from tests import factories as f

    ks = f.series(f.authority("KS"), "KS")
    reg = f.user(roles={ks.authority: "registrar"})
    case = f.case(reg, ks, "Nytt ärende")
    f.document(reg, case, "Första handlingen")
    assert list(case.documents.values_list("number", flat=True)) == [1]
