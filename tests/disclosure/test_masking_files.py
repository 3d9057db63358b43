"""Masking a document of several files: every file is handed out as a redacted copy of
its PDF (a PDF as it is, an office file's PDF/A rendition), several masks on one page each
carry their own legal ground, the copies are kept per file, and a delivery hands out
exactly those copies with their hashes logged. No masked word can be extracted from any
copy by pdftotext or pypdf; a file without masks loses its metadata but keeps its text."""

import hashlib
import io
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from fpdf import FPDF
from pypdf import PdfReader

from diarium.audit.models import AuditEvent
from diarium.disclosure import decision, selectors, services
from diarium.disclosure.models import Outcome
from diarium.disclosure.redaction import Box
from diarium.disclosure.services import MaskInput
from diarium.documents.models import StoredFile
from diarium.documents.services import open_content
from diarium.registry import selectors as registry_selectors
from diarium.registry import services as registry
from tests import factories as f
from tests.conftest import require
from tests.documents import samples
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db

# Two secret lines on page 1 of the first file (two masks, two grounds), one on its page 2.
FIRST = "Personnummer 19750505-5555"
SECOND = "Diagnos Hemligsjuka"
THIRD = "Skyddad adress Gomdgatan 7"
IN_DOCX = "Kontonummer 1234-567890"
IN_METADATA = "Titel med Hemlisnamn"
BOX_FIRST = (0.05, 0.28, 0.95, 0.36)  # the line at 90 mm of 297
BOX_SECOND = (0.05, 0.48, 0.95, 0.56)  # the line at 150 mm
BOX_DOCX = (0.0, 0.0, 1.0, 0.15)  # the document's first paragraph


def two_page_letter() -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_font("helvetica", size=14)
    for number, secrets in ((1, [(90, FIRST), (150, SECOND)]), (2, [(90, THIRD)])):
        pdf.add_page()
        pdf.set_xy(20, 30)
        pdf.cell(0, 10, f"Skrivelsen sida {number}")
        for y, text in secrets:
            pdf.set_xy(20, y)
            pdf.cell(0, 10, text)
        pdf.set_xy(20, 220)
        pdf.cell(0, 10, f"Skrivelsen slut {number}")
    pdf.set_title(FIRST)
    return bytes(pdf.output())


def plain_pdf() -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_font("helvetica", size=14)
    pdf.add_page()
    pdf.set_xy(20, 30)
    pdf.cell(0, 10, "Karta utan hemligheter")
    pdf.set_title(IN_METADATA)
    pdf.set_author(IN_METADATA)
    return bytes(pdf.output())


def texts(stored: StoredFile, tmp_path) -> tuple[str, str]:
    path = tmp_path / f"{stored.sha256}.pdf"
    with open_content(stored) as stream:
        path.write_bytes(stream.read())
    poppler = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                             check=True).stdout.decode()
    reader = PdfReader(str(path))
    extracted = "\n".join(p.extract_text() for p in reader.pages) + str(reader.metadata or "")
    return poppler, extracted


@pytest.fixture
def multi(world, tmp_path):
    require(shutil.which("soffice") is not None, "LibreOffice is needed for the rendition")
    require(shutil.which("pdftotext") is not None, "poppler-utils are needed")
    case = registry_selectors.visible_documents(world["reg"]).get(
        pk=world["public"].pk).case
    docx = samples.docx(tmp_path / "bilaga.docx", IN_DOCX, "Bilagans offentliga rad")
    doc = f.document(world["reg"], case, "Skrivelse med bilagor",
                     public_title="Skrivelse med bilagor", uploads=[
                         registry.Upload(io.BytesIO(two_page_letter()), "skrivelse.pdf"),
                         registry.Upload(io.BytesIO(docx.read_bytes()), "bilaga.docx"),
                         registry.Upload(io.BytesIO(plain_pdf()), "karta.pdf")])
    run_jobs()  # the PDF/A rendition of the DOCX
    submitted = services.submit_request(services.Submission(
        reply_method="email", email="anna@example.se", wants_decision=True,
        documents=selectors.public_documents([str(doc.pk)])))[0]
    return doc, submitted, submitted.items.get()


def test_every_file_is_masked_and_delivered_with_its_hashes(world, multi, tmp_path,
                                                            django_capture_on_commit_callbacks):
    doc, req, item = multi
    files = selectors.document_files(doc)
    assert [f.original_name for f in files] == ["skrivelse.pdf", "bilaga.docx", "karta.pdf"]
    rendition = registry_selectors.rendition_content(files[1])
    assert rendition is not None

    # The staff page shows every file's pages, the rendition's for the DOCX.
    c = Client()
    c.force_login(world["reg"])
    base = f"/begaranden/{req.pk}/handlingar/{item.pk}"
    page = c.get(f"{base}/maskera/").content.decode()
    for file in files:
        assert f"{base}/fil/{file.pk}/sida/1/" in page
    assert f"{base}/fil/{files[0].pk}/sida/2/" in page
    image = c.get(f"{base}/fil/{files[1].pk}/sida/1/")
    assert image.status_code == 200 and image.content[:4] == b"\x89PNG"
    assert c.get(f"{base}/fil/{world['public'].files.get().pk}/sida/1/").status_code == 404

    # Masks drawn on two files, two on one page, each with its ground; made by the job.
    pct = ", ".join
    response = c.post(f"{base}/maskera/", {
        "provision": "OSL 21 kap. 7 §",
        "masks_1": "\n".join([
            "1, " + pct(f"{v * 100:.2f}" for v in BOX_FIRST) + ", OSL 21 kap. 7 §",
            "1, " + pct(f"{v * 100:.2f}" for v in BOX_SECOND) + ", OSL 25 kap. 1 §",
            "2, " + pct(f"{v * 100:.2f}" for v in BOX_FIRST) + ", OSL 21:3"]),
        "masks_2": "1, " + pct(f"{v * 100:.2f}" for v in BOX_DOCX) + ", OSL 26:1",
        "masks_3": ""})
    assert response.status_code == 302
    run_jobs()
    item.refresh_from_db()
    assert item.outcome == Outcome.MASKED
    assert item.provision == "OSL 21 kap. 3 §, OSL 21 kap. 7 §, OSL 25 kap. 1 §, OSL 26 kap. 1 §"
    copies = selectors.masked_files(item)
    assert [(c.position, c.file_id) for c in copies] == [(n, f.pk) for n, f in
                                                          enumerate(files, start=1)]
    assert copies[0].source_id == files[0].content_id
    assert copies[1].source_id == rendition.sha256  # the DOCX is masked on its PDF/A
    assert copies[2].source_id == files[2].content_id
    assert [[(m.page, m.provision) for m in c.masks.all()] for c in copies] == [
        [(1, "OSL 21 kap. 7 §"), (1, "OSL 25 kap. 1 §"), (2, "OSL 21 kap. 3 §")],
        [(1, "OSL 26 kap. 1 §")], []]
    assert item.pages == 2 + copies[1].pages + 1

    # Nothing masked can be extracted from any copy; what was not masked stays readable.
    extracted = [texts(c.redacted, tmp_path) for c in copies]
    for poppler, pypdf_text in extracted:
        for secret in (FIRST, SECOND, THIRD, IN_DOCX, IN_METADATA, "19750505", "Hemlis"):
            assert secret not in poppler and secret not in pypdf_text
    # (A masked page is an image only: its unmasked words are drawn, not text.)
    assert "Karta utan hemligheter" in extracted[2][0]  # unmasked: still text
    assert "Karta utan hemligheter" in extracted[2][1]

    # The decision names each mask with its file and page.
    text = decision.decision_text(req, selectors.request_items(req), world["reg"])
    assert "fil 1 sidan 1 (OSL 21 kap. 7 §), fil 1 sidan 1 (OSL 25 kap. 1 §)" in text
    assert "fil 2 sidan 1 (OSL 26 kap. 1 §)" in text

    # Delivered: exactly the three copies, their hashes logged and the same in the mail.
    with django_capture_on_commit_callbacks(execute=True):
        delivery, _token = services.deliver(world["reg"], req, "email_attachment")
    assert [e["sha256"] for e in delivery.files] == [c.redacted_id for c in copies]
    assert len({e["name"] for e in delivery.files}) == 3
    assert all("bilaga" not in e["name"] and "(maskerad)" in e["name"] for e in delivery.files)
    attached = mail.outbox[0].attachments
    assert [hashlib.sha256(content).hexdigest() for _n, content, _m in attached] == [
        c.redacted_id for c in copies]
    event = AuditEvent.objects.get(action="disclosure.delivered")
    assert [sha for _name, sha in event.after["files"]] == [c.redacted_id for c in copies]
    masked_event = AuditEvent.objects.get(action="disclosure.masked")
    assert [entry["redacted"] for entry in masked_event.after["files"]] == [
        c.redacted_id for c in copies]

    # And through the link, each file is the logged one.
    with django_capture_on_commit_callbacks(execute=True):
        _delivery, token = services.deliver(world["reg"], req, "email_link")
    for index, copy in enumerate(copies):
        got = Client().get(services.link_path(token) + f"{index}/")
        assert hashlib.sha256(b"".join(got.streaming_content)).hexdigest() == copy.redacted_id

    # A new masking replaces the copies; the old ones stay, inactive.
    services.mask_item(world["reg"], item, [MaskInput(Box(2, *BOX_FIRST), "OSL 21:3",
                                                      files[0].pk)])
    assert len(selectors.masked_files(item)) == 3
    assert item.masked_files.filter(active=False).count() == 3


def test_a_mask_on_another_documents_file_or_a_file_without_pdf_is_refused(world, multi):
    doc, _req, item = multi
    other = world["public"].files.get()
    with pytest.raises(ValidationError):
        services.mask_item(world["reg"], item, [MaskInput(Box(1, 0.1, 0.1, 0.2, 0.2),
                                                          "OSL 26:1", other.pk)])
    case = doc.case
    binary = f.document(world["reg"], case, "Databas", public_title="Databas", uploads=[
        registry.Upload(io.BytesIO(two_page_letter()), "brev.pdf"),
        registry.Upload(io.BytesIO(b"\x00\x01binary"), "export.bin")])
    second = services.submit_request(services.Submission(
        reply_method="pickup", documents=selectors.public_documents([str(binary.pk)])))[0]
    with pytest.raises(ValidationError, match=r"2 \(export\.bin\)"):
        services.mask_item(world["reg"], second.items.get(), [
            MaskInput(Box(1, *BOX_FIRST), "OSL 26:1")])
    assert second.items.get().outcome == Outcome.PENDING
    assert not second.items.get().masked_files.exists()
