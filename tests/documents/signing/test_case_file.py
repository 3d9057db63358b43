"""The digital case file (digital akt): all final documents in number order as one PDF/A
with an index page and bookmarks; secret documents only for those who may read them, and
the index says pages were withheld; the akt can be registered in the case."""

import io

import pikepdf
import pytest
from pypdf import PdfReader

from diarium.documents.convert import checks
from diarium.registry import services
from diarium.registry.services import case_files
from tests import factories as f
from tests.documents.signing.conftest import sample_pdf
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db
CANARY = "Kanariefågel-hemlig-7731"


def pdf_upload(name: str, text: str) -> services.Upload:
    return services.Upload(io.BytesIO(sample_pdf(text)), name)


@pytest.fixture
def world():
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("rut", roles={ks.authority: "registrar"})
    other = f.user("otto", roles={ks.authority: "officer"})
    case = f.case(reg, ks, "Bygglov Storgatan 1", responsible_officer=reg)
    f.document(reg, case, "Ansökan om bygglov", uploads=[pdf_upload("ansokan.pdf", "Ansökan")])
    f.document(reg, case, f"Läkarintyg {CANARY}", public_title="Intyg",
               secrecy=services.Secrecy("OSL 25:1", withhold_title=True),
               uploads=[pdf_upload("intyg.pdf", f"Intyg {CANARY}")])
    f.document(reg, case, "Beslut", direction="outgoing",
               uploads=[pdf_upload("beslut.pdf", "Beviljas")])
    f.document(reg, case, "Tjänsteanteckning", direction="internal")  # no file
    run_jobs()  # the PDF/A renditions
    return reg, other, case


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def outline_titles(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        return [item.title for item in outline.root]


def test_the_akt_holds_every_final_document_in_order_with_index_and_bookmarks(world,
                                                                               tmp_path):
    reg, _other, case = world
    made = case_files.make_case_file(reg, case)
    path = tmp_path / "akt.pdf"
    path.write_bytes(made.pdf)
    assert checks.inspect(path).is_pdfa
    number = case.diary_number
    assert outline_titles(made.pdf) == [
        f"Akt {number}", f"{number}:1 Ansökan om bygglov",
        f"{number}:2 Läkarintyg {CANARY}", f"{number}:3 Beslut"]
    text = text_of(made.pdf)
    assert number in text and "Ansökan" in text and "Beviljas" in text
    assert "ingen PDF/A" in text  # the note without a file
    assert made.withheld == 0 and len(PdfReader(io.BytesIO(made.pdf)).pages) == 4


def test_secret_pages_are_withheld_for_those_who_may_not_read_them(world):
    _reg, other, case = world
    made = case_files.make_case_file(other, case)
    text = text_of(made.pdf)
    assert CANARY not in text and CANARY not in str(outline_titles(made.pdf))
    assert made.withheld == 1 and "utelämnad" in text and "Intyg" in text
    assert len(PdfReader(io.BytesIO(made.pdf)).pages) == 3


def test_the_akt_is_registered_in_the_case_and_marked_secret_when_it_holds_secrets(world):
    reg, other, case = world
    doc = case_files.register_case_file(reg, case)
    assert doc.case == case and doc.secrecy_provision.startswith("OSL 25")
    assert [f.original_name for f in doc.files.all()] == [case_files.file_name(case)]
    public = case_files.register_case_file(other, case)  # the officer's akt has no secret
    assert not public.secrecy_provision


def test_someone_who_may_not_see_the_case_gets_no_akt(world):
    from django.core.exceptions import PermissionDenied

    _reg, _other, case = world
    with pytest.raises(PermissionDenied):
        case_files.make_case_file(f.user("utomstaende"), case)


def test_one_click_on_the_case_page_downloads_and_registers_the_akt(world):
    from django.urls import reverse

    from tests.permissions.clients import ui

    reg, _other, case = world
    page = ui(reg).get(reverse("registry:case", args=[case.pk])).content.decode()
    assert "Digital akt som PDF/A" in page
    response = ui(reg).get(reverse("registry:case_file", args=[case.pk]))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    registered = ui(reg).post(reverse("registry:case_file_register", args=[case.pk]))
    assert registered.status_code == 302
    assert case.documents.filter(title__startswith="Digital akt").exists()
    assert ui(f.user("utomstaende")).get(
        reverse("registry:case_file", args=[case.pk])).status_code == 404


def test_the_index_names_each_document_s_record_type_by_its_plan_rule():
    from tests.registry import plan_world

    w = plan_world.world()
    case = f.case(w.registrator, w.ks, "Motion om cykelbanor")
    rule = w.rule("Motion")
    services.register_document(
        w.registrator, case,
        services.DocumentData(title="Motion från (M)", record_type=rule.record_type,
                              direction="incoming", document_date=case.opened_at.date()),
        [pdf_upload("motion.pdf", "Motionstext")])
    plan_world.register(w.registrator, case, None, "Följebrev")
    secret = w.rule("Orosanmälan")
    services.register_document(
        w.registrator, case,
        services.DocumentData(title="Anmälan om barn", public_title="Anmälan",
                              record_type=secret.record_type, direction="incoming",
                              document_date=case.opened_at.date(),
                              secrecy=services.Secrecy("OSL 26:1")))
    run_jobs()
    akt = case_files.make_case_file(w.registrator, case).pdf
    index = PdfReader(io.BytesIO(akt)).pages[0].extract_text()
    assert "Motion" in index and "Motion från (M)" in index and "–" in index
    assert "Orosanmälan" in index  # the registrator may read the secret document
    # An officer of the board outside the case's access group sees neither its type
    # nor its title (the responsible officer would be inside it).
    officer = f.user("otto", roles={w.ks.authority: "officer"})
    hidden = PdfReader(io.BytesIO(case_files.make_case_file(officer, case).pdf))
    index = hidden.pages[0].extract_text()
    assert "Motion från (M)" in index and "Orosanmälan" not in index
    assert "Anmälan om barn" not in index
