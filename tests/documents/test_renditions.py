"""Renditions, text and previews as background jobs, with the real converters: a final
document gets a checked PDF/A-2b rendition, its text is found by a stemmed word, a scan is
OCR-ed, a PDF/A is kept as it is, a failed conversion is recorded with its reason and can
be retried, and a worker killed in the middle leaves exactly one rendition."""

import io
import json
import shutil
import signal

import pytest
from django.urls import reverse
from django.utils.html import escape

from diarium.core.jobs import services as jobs
from diarium.core.jobs.models import Job, JobState
from diarium.documents.models import ExtractedText, Rendition, RenditionState, StoredFile
from diarium.documents.services import open_content
from diarium.registry import processing, selectors, services
from diarium.registry.selectors import CaseSearch
from tests import factories as f
from tests.documents import samples
from tests.permissions.clients import ui
from tests.workers import finish, run_jobs, start_worker, wait_for, worker_env

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("ocrmypdf") is None,
                       reason="LibreOffice and OCRmyPDF are needed"),
    pytest.mark.slow,
]


def upload(path) -> services.Upload:
    return services.Upload(io.BytesIO(path.read_bytes()), path.name)


@pytest.fixture
def ks():
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("rut", roles={ks.authority: "registrar"})
    return ks, reg


def found(user, word: str, case) -> bool:
    return selectors.search_cases(user, CaseSearch(text=word)).filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_a_final_docx_gets_a_checked_pdfa_and_its_text_is_found(ks, tmp_path):
    series, reg = ks
    case = f.case(reg, series, "Ärende om detaljplan", responsible_officer=reg)
    first = samples.docx(tmp_path / "tjut.docx", "Sammanfattning",
                         "Förslaget gäller detaljplanen för Hamnkvarteret")
    doc = services.create_draft(reg, case, services.DocumentData(
        direction="internal", title="Tjänsteskrivelse", document_date=case.opened_at.date()),
        upload(first))
    assert not Job.objects.exists()  # a draft is not processed
    doc = services.finalise(reg, doc)
    job = processing.jobs_of(doc).get()
    assert job.state == JobState.QUEUED
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    stored = doc.final_version.content
    rendition = Rendition.objects.get(source=stored.sha256)
    assert (rendition.state, rendition.label, rendition.method) == (
        RenditionState.OK, "PDF/A-2b", "libreoffice")
    with open_content(StoredFile.objects.get(sha256=rendition.content)) as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert rendition.previews and rendition.pages == 1
    with open_content(StoredFile.objects.get(sha256=rendition.previews[0])) as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert "Hamnkvarteret" in ExtractedText.objects.get(source=stored.sha256).text
    page = ui(reg).get(reverse("registry:document", args=[doc.pk])).content.decode()
    assert "PDF/A-2b ✓" in page and reverse("registry:file_preview", args=[
        doc.files.get().pk]) + "?sida=1" in page
    preview = ui(reg).get(reverse("registry:file_preview", args=[doc.files.get().pk]))
    assert preview["Content-Type"] == "image/png"
    # A stemmed form of a word that occurs only inside the file.
    assert found(reg, "detaljplanerna", case) and found(reg, "hamnkvarterets", case)


@pytest.mark.django_db
def test_a_scanned_swedish_letter_is_ocred_and_found(ks, tmp_path):
    series, reg = ks
    case = f.case(reg, series, "Barnomsorg")
    scan = samples.scanned_letter(tmp_path / "brev.jpg", [
        "Till barn- och utbildningsnämnden", "Ansökan om förskoleplats i Älvsjö",
        "Med vänliga hälsningar, Åsa Öberg"])
    f.document(reg, case, "Brev", uploads=[upload(scan)])
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED and job.result["ocr"], job.error
    # Found by other forms of the words (Snowball stems them alike) with å, ä, ö.
    assert found(reg, "utbildningsnämnd", case) and found(reg, "hälsning", case)
    assert found(reg, "förskoleplats", case) and found(reg, "Åsa Öberg", case)


@pytest.mark.django_db
def test_a_pdfa_is_kept_and_the_same_bytes_are_processed_once(ks, tmp_path):
    series, reg = ks
    case = f.case(reg, series, "Yttrande")
    f.document(reg, case, "Yttrande", uploads=[upload(samples.docx(tmp_path / "y.docx",
                                                                   "Yttrande över remiss"))])
    run_jobs()
    made = Rendition.objects.get()
    pdf = tmp_path / "yttrande.pdf"
    with open_content(StoredFile.objects.get(sha256=made.content)) as stream:
        pdf.write_bytes(stream.read())
    f.document(reg, case, "Yttrande som PDF", uploads=[upload(pdf)])
    f.document(reg, case, "Samma PDF igen", uploads=[upload(pdf)])
    run_jobs()
    kept = Rendition.objects.get(source=made.content)
    assert kept.method == "kept" and kept.content == kept.source
    assert Job.objects.count() == 2  # the same bytes are processed once


@pytest.mark.django_db
def test_a_failed_conversion_shows_its_reason_and_can_be_retried(ks, tmp_path):
    series, reg = ks
    admin = f.user(roles={series.authority: "administrator"})
    case = f.case(reg, series, "Trasig fil")
    broken = samples.docx(tmp_path / "trasig.docx", "x")
    broken.write_bytes(broken.read_bytes()[:300])
    doc = f.document(reg, case, "Trasig", uploads=[upload(broken)])
    run_jobs()
    job = processing.jobs_of(doc).get()
    rendition = Rendition.objects.get()
    assert job.state == JobState.FAILED and rendition.state == RenditionState.FAILED
    assert rendition.error and job.error == rendition.error
    assert doc.files.get().content.sha256 == rendition.source  # the original as uploaded
    page = ui(reg).get(reverse("registry:document", args=[doc.pk])).content.decode()
    assert "Konverteringen misslyckades" in page and escape(rendition.error) in page
    assert "Konvertera igen" in page
    failed = ui(admin).get(reverse("core:jobs"), {"state": "failed"}).content.decode()
    assert str(job.pk) in failed
    jobs.retry(admin, job)
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and Rendition.objects.count() == 1
    assert "retried by" in job.log


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_conversion_leaves_exactly_one_rendition(ks, tmp_path,
                                                                      settings):
    settings.DATA_DIR = tmp_path  # the worker's file store is DATA_DIR/files, as here
    series, reg = ks
    case = f.case(reg, series, "Stor rapport")
    paragraphs = [f"Avsnitt {n}: kommunens ekonomi och verksamhet under året." * 4
                  for n in range(600)]
    doc = f.document(reg, case, "Rapport", uploads=[upload(samples.docx(
        tmp_path / "rapport.docx", *paragraphs))])
    job = processing.jobs_of(doc).get()
    env = worker_env(settings, DIARIUM_JOB_LEASE_SECONDS="2",
                     DIARIUM_FILE_STORE=json.dumps(settings.FILE_STORE))
    worker = start_worker(env)
    try:
        wait_for(lambda: Job.objects.filter(pk=job.pk, state=JobState.RUNNING,
                                            message="convert").exists(), every=0.01)
        worker.send_signal(signal.SIGSTOP)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert not Rendition.objects.exists()  # killed before it was recorded
    finish(start_worker(env, "--burst"))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2, job.error
    assert "its lease ran out" in job.log
    assert Rendition.objects.filter(state=RenditionState.OK).count() == 1
    assert Rendition.objects.count() == 1
