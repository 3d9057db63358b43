"""Document templates in the registry: administrators add them (a field that does not exist
is refused with its name), officers create a draft in a case from one — filled from the
case, missing values marked and listed — and the whole way from template to a final
document with a PDF/A rendition whose text is found in the search."""

import io
import shutil
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from diarium.core.jobs.models import Job, JobState
from diarium.documents.models import Rendition, RenditionState
from diarium.documents.services import open_content
from diarium.registry import demo_templates, selectors, services
from diarium.registry.models import DocumentStatus, DocumentTemplate
from diarium.registry.selectors import CaseSearch
from tests import factories as f
from tests.permissions.clients import ui
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def docx_upload(name: str, *paragraphs: str) -> services.Upload:
    return services.Upload(io.BytesIO(demo_templates.docx_bytes(paragraphs)), f"{name}.docx")


def text_of(content) -> str:
    with open_content(content) as stream, zipfile.ZipFile(stream) as archive:
        return archive.read("word/document.xml").decode()


@pytest.fixture
def world():
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    admin = f.user("adam", roles={ks.authority: "administrator"})
    olle = f.user("olle", roles={ks.authority: "officer"}, first_name="Olle",
                  last_name="Handläggare", email="olle@kommun.se")
    case = f.case(olle, ks, "Bygglov för förskola på Solrosvägen 3",
                  responsible_officer=olle)
    return ks, admin, olle, case


def data(ks, name="Beslut") -> services.TemplateData:
    return services.TemplateData(name=name, municipality=ks.authority.municipality,
                                 authority=ks.authority)


def test_a_template_with_a_field_that_does_not_exist_is_refused(world):
    ks, admin, olle, _case = world
    with pytest.raises(ValidationError, match="personnummer"):
        services.add_template(admin, data(ks), docx_upload("x", "{{ personnummer }}"))
    with pytest.raises(ValidationError):
        services.add_template(admin, data(ks), services.Upload(io.BytesIO(b"hej"), "x.txt"))
    with pytest.raises(PermissionDenied):
        services.add_template(olle, data(ks), docx_upload("x", "{{ diarienummer }}"))
    assert not DocumentTemplate.objects.exists()
    made = services.add_template(admin, data(ks), docx_upload("x", "{{ diarienummer }}"))
    assert made.fields == ["diarienummer"]


def test_every_demo_template_is_accepted_and_the_tjut_has_its_parts(world):
    ks, admin, olle, case = world
    assert demo_templates.install(admin, ks.authority.municipality, {}) == len(
        demo_templates.TEMPLATES)
    names = set(selectors.templates_for(case).values_list("name", flat=True))
    assert {"Tjänsteskrivelse", "Beslut", "Yttrande", "Skrivelse", "Tjänsteanteckning",
            "Delegationsbeslut", "Kallelse", "Protokoll"} <= names
    tjut = DocumentTemplate.objects.get(name="Tjänsteskrivelse")
    made = services.create_from_template(olle, case, tjut, services.DocumentData(
        direction="internal", title="Tjänsteskrivelse bygglov",
        document_date=case.opened_at.date()))
    doc = made.document
    assert doc.status == DocumentStatus.DRAFT
    text = text_of(doc.versions.get().content)
    for part in ("Sammanfattning", "Beslutsunderlag", "Förslag till beslut",
                 case.diary_number, "Bygglov för förskola på Solrosvägen 3",
                 "Olle Handläggare", "Kommunstyrelsen"):
        assert part in text, part
    assert "enhet" in made.missing and "[saknas: enhet]" in text  # no unit in this case
    beslut = DocumentTemplate.objects.get(name="Beslut")
    made = services.create_from_template(olle, case, beslut, services.DocumentData(
        direction="outgoing", title="Beslut", document_date=case.opened_at.date(),
        sender_recipient="Anna Andersson"))
    text = text_of(made.document.versions.get().content)
    assert "överklaga" in text and "förvaltningsrätten" in text and "Anna Andersson" in text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
def test_template_to_final_pdfa_to_text_in_search(world):
    ks, admin, olle, case = world
    template = services.add_template(admin, data(ks, "Yttrande"), docx_upload(
        "yttrande", "{{ myndighet }}", "Yttrande i {{ diarienummer }}",
        "Nämnden tillstyrker ansökan om strandskyddsdispens."))
    made = services.create_from_template(olle, case, template, services.DocumentData(
        direction="outgoing", title="Yttrande", document_date=case.opened_at.date()))
    doc = services.finalise(olle, made.document)
    run_jobs()
    assert Job.objects.get().state == JobState.SUCCEEDED
    rendition = Rendition.objects.get(source=doc.final_version.content_id)
    assert rendition.state == RenditionState.OK and rendition.label == "PDF/A-2b"
    found = selectors.search_cases(olle, CaseSearch(text="tillstyrkte strandskyddsdispens"))
    assert list(found) == [case]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
def test_an_odt_template_is_turned_into_docx_and_checked(world, tmp_path, settings):
    from diarium.documents.convert.sandbox import private_folder, run

    ks, admin, _olle, _case = world
    source = tmp_path / "mall.docx"
    source.write_bytes(demo_templates.docx_bytes(["Dnr {{ diarienummer }}", "{{ okänt }}"]))
    with private_folder() as folder:
        run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/p",
             "--convert-to", "odt", "--outdir", str(tmp_path), str(source)], cwd=folder,
            timeout=120)
    odt = (tmp_path / "mall.odt").read_bytes()
    with pytest.raises(ValidationError, match="okänt"):
        services.add_template(admin, data(ks), services.Upload(io.BytesIO(odt), "mall.odt"))


def test_the_templates_page_and_a_draft_from_a_template(world):
    ks, admin, olle, case = world
    page = ui(admin).get(reverse("registry:templates"))
    assert page.status_code == 200
    assert ui(olle).get(reverse("registry:templates")).status_code == 403
    refused = ui(admin).post(reverse("registry:templates"), {
        "name": "Brev", "scope": str(ks.authority.pk),
        "file": _named(demo_templates.docx_bytes(["{{ hemlighet }}"]), "brev.docx")})
    assert "hemlighet" in refused.content.decode()
    ui(admin).post(reverse("registry:templates"), {
        "name": "Brev", "scope": f"m:{ks.authority.municipality_id}",
        "file": _named(demo_templates.docx_bytes(["Hej {{ mottagare }}"]), "brev.docx")})
    template = DocumentTemplate.objects.get(name="Brev")
    response = ui(olle).post(reverse("registry:draft_new", args=[case.pk]), {
        "template": template.pk, "direction": "outgoing", "title": "Brev till sökanden",
        "document_date": case.opened_at.date().isoformat(), "sender_recipient": "Anna"},
        follow=True)
    assert "Utkast" in response.content.decode()
    assert "Hej Anna" in text_of(case.documents.get().versions.get().content)


def _named(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream
