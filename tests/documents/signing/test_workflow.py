"""The signing workflow: a final document's PDF/A rendition signed by two signers in order,
each signature an incremental update validated when added, the proof kept as files of the
document, the refusals (wrong turn, no key, an invalid signature, no access) audited, and
the completion signal for whoever asked (the board's justering)."""

import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from diarium.audit.models import AuditEvent
from diarium.core.errors import Conflict
from diarium.documents.signature_models import RequestStatus, StepState, ValidationReport
from diarium.documents.signing.evidence import read_all
from diarium.documents.signing.signals import signatures_completed
from diarium.documents.signing.trust import configured_trust
from diarium.documents.signing.validation import validate_pdf
from diarium.registry import services
from diarium.registry.services import signatures
from tests import factories as f
from tests import pki
from tests.documents.signing.conftest import PASSWORD, sample_pdf
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def final_pdf_document(officer, case, text: str = "Protokoll 2026-12-01"):
    doc = services.create_draft(
        officer, case, services.DocumentData(direction="internal", title="Protokoll",
                                             document_date=case.opened_at.date()),
        services.Upload(io.BytesIO(sample_pdf(text)), "protokoll.pdf"))
    doc = services.finalise(officer, doc)
    run_jobs()  # the PDF/A rendition
    doc.refresh_from_db()
    return doc


def give_key(user, test_pki, name):
    data = pki.pkcs12(test_pki.signers[name], PASSWORD.encode(), [test_pki.issuing])
    return signatures.register_pkcs12_key(user, user, data, PASSWORD)


@pytest.fixture
def world(test_pki, trusted):
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    secretary = f.user("sara", roles={ks.authority: "secretary"})
    chair = f.user("anna", roles={ks.authority: "officer"})
    adjuster = f.user("jonas", roles={ks.authority: "officer"})
    case = f.case(secretary, ks, "Sammanträde 1 december", responsible_officer=secretary)
    give_key(chair, test_pki, "Anna Ordförande")
    give_key(adjuster, test_pki, "Jonas Justerare")
    return ks, secretary, chair, adjuster, case


def test_two_signers_sign_in_order_and_the_proof_is_kept(world,
                                                          django_capture_on_commit_callbacks):
    _ks, secretary, chair, adjuster, case = world
    doc = final_pdf_document(secretary, case)
    completed = []

    def listener(sender, request, document_id, version_id, **kwargs):
        completed.append((request.purpose, document_id, version_id))

    signatures_completed.connect(listener)
    try:
        request = signatures.request_signatures(
            secretary, doc.final_version, [(chair, "ordförande"), (adjuster, "justerare")],
            purpose="board.minutes")
        with pytest.raises(Conflict):
            signatures.sign(adjuster, request)  # not his turn yet
        signatures.sign(chair, request)
        request.refresh_from_db()
        assert completed == [] and request.status == RequestStatus.PENDING
        with django_capture_on_commit_callbacks(execute=True):
            signatures.sign(adjuster, request)
    finally:
        signatures_completed.disconnect(listener)
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert completed == [("board.minutes", doc.pk, doc.final_version.pk)]
    steps = list(request.steps.all())
    assert [(s.state, s.role) for s in steps] == [
        (StepState.SIGNED, "ordförande"), (StepState.SIGNED, "justerare")]
    first, second = (read_all(s.result) for s in steps)
    assert second.startswith(first) and first.startswith(read_all(request.source))
    report = validate_pdf(second, configured_trust())
    assert report["valid"] and [s["role"] for s in report["signatures"]] == [
        "ordförande", "justerare"]
    names = sorted(doc.files.values_list("original_name", flat=True))
    assert names == ["protokoll-signerad.pdf", "protokoll-valideringsrapport.json",
                     "protokoll-valideringsrapport.pdf", "protokoll.pdf"]
    actions = list(AuditEvent.objects.filter(object_id=str(doc.pk)).values_list(
        "action", "actor_name"))
    assert ("document.signed", "anna") in actions and ("document.signed", "jonas") in actions
    assert ("document.signatures_completed", "jonas") in actions


def test_signing_without_a_key_or_access_is_refused(world, test_pki):
    ks, secretary, chair, _adjuster, case = world
    doc = final_pdf_document(secretary, case)
    keyless = f.user("kim", roles={ks.authority: "officer"})
    outsider = f.user("otto")  # holds no role: may not read the document
    with pytest.raises(ValidationError):
        signatures.request_signatures(secretary, doc.final_version, [(outsider, "justerare")])
    request = signatures.request_signatures(secretary, doc.final_version, [(keyless, "ledamot")])
    with pytest.raises(ValidationError):
        signatures.sign(keyless, request)
    with pytest.raises(PermissionDenied):
        signatures.sign(outsider, request)
    with pytest.raises(Conflict):
        signatures.request_signatures(secretary, doc.final_version, [(chair, "ordförande")])


def test_an_expired_or_revoked_key_makes_no_signature_and_is_audited(world, test_pki):
    ks, secretary, _chair, _adjuster, case = world
    revoked = f.user("sparrad", roles={ks.authority: "officer"})
    give_key(revoked, test_pki, "Spärrad Signerare")
    old = f.user("gamla", roles={ks.authority: "officer"})
    give_key(old, test_pki, "Gammal Signerare")
    doc = final_pdf_document(secretary, case)
    request = signatures.request_signatures(secretary, doc.final_version,
                                            [(revoked, "ledamot"), (old, "ledamot")])
    with pytest.raises(ValidationError, match="revoked"):
        signatures.sign(revoked, request)
    request.refresh_from_db()
    assert request.current_id == request.source_id
    assert {s.state for s in request.steps.all()} == {StepState.WAITING}
    assert AuditEvent.objects.filter(action="document.signing_refused",
                                     actor_name="sparrad").exists()
    signatures.cancel_signatures(secretary, request, "Fel nyckel")
    request = signatures.request_signatures(secretary, doc.final_version, [(old, "ledamot")])
    with pytest.raises(ValidationError, match="trust"):
        signatures.sign(old, request)
    assert not ValidationReport.objects.exists()


def test_only_a_final_version_with_a_rendition_is_signed(world):
    _ks, secretary, chair, _adjuster, case = world
    draft = services.create_draft(
        secretary, case, services.DocumentData(direction="internal", title="Utkast",
                                               document_date=case.opened_at.date()),
        services.Upload(io.BytesIO(sample_pdf()), "utkast.pdf"))
    version = draft.versions.get()
    with pytest.raises(Conflict):
        signatures.request_signatures(secretary, version, [(chair, "ordförande")])


def test_an_uploaded_signed_pdf_is_validated_and_its_report_kept(world, test_pki):
    from diarium.documents.signing.pades import Appearance, sign_pdf
    from tests.documents.signing.conftest import p12_key

    _ks, secretary, *_rest, case = world
    signed = sign_pdf(sample_pdf("Avtal"), p12_key(test_pki, "Anna Ordförande"),
                      Appearance("Signatur1", "Anna"))
    doc = services.register_document(secretary, case, services.DocumentData(
        direction="incoming", title="Undertecknat avtal", document_date=case.opened_at.date()),
        [services.Upload(io.BytesIO(signed), "avtal.pdf")])
    run_jobs()  # the processing job validates the signed PDF it was registered with
    reports = list(ValidationReport.objects.filter(document=doc.pk))
    assert [(r.valid, r.trigger) for r in reports] == [(True, "upload")]
    assert AuditEvent.objects.filter(action="document.signatures_validated",
                                     actor_name="system:signatures").exists()
    assert sorted(doc.files.values_list("original_name", flat=True)) == [
        "avtal-valideringsrapport.json", "avtal-valideringsrapport.pdf", "avtal.pdf"]
    assert signatures.validate_uploaded(signatures.VALIDATOR, doc) == []  # validated once on upload


def test_the_case_export_carries_the_signed_pdf_and_its_report(world, tmp_path):
    import zipfile

    from lxml import etree

    from diarium.archive.erms import export_case_sip
    from diarium.archive.erms.schema import ERMS_NS
    from diarium.archive.validation import validate_package
    from tests.conftest import require

    require(bool(os.environ.get("DIARIUM_EARK_DATA_DIR")),
            "DIARIUM_EARK_DATA_DIR (the ERMS schemas) is needed")
    _ks, secretary, chair, adjuster, case = world
    doc = final_pdf_document(secretary, case)
    request = signatures.request_signatures(
        secretary, doc.final_version, [(chair, "ordförande"), (adjuster, "justerare")])
    signatures.sign(chair, request)
    signatures.sign(adjuster, request)
    case = services.close_case(secretary, case, "Justerat.")
    path = export_case_sip(case, tmp_path / "out", as_zip=True)
    assert validate_package(path).valid
    root = f"diarium-{case.pk}-v1/"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        data = root + "representations/rep1/data/1/"
        assert {data + n for n in ("protokoll-signerad.pdf", "protokoll-valideringsrapport.json",
                                   "protokoll-valideringsrapport.pdf")} <= names
        signed = archive.read(data + "protokoll-signerad.pdf")
        erms = etree.fromstring(archive.read(root + "metadata/descriptive/erms.xml"))
    assert validate_pdf(signed, configured_trust())["valid"]
    notes = [n.text for n in erms.iterfind(f".//{{{ERMS_NS}}}note")
             if n.get("noteType") == "signature"]
    assert len(notes) == 1 and "Anna Ordförande (ordförande)" in notes[0]
    assert "Jonas Justerare (justerare)" in notes[0] and "giltiga" in notes[0]


def test_a_key_file_that_is_not_pkcs12_is_refused(world):
    _ks, secretary, *_rest = world
    with pytest.raises(ValidationError):
        signatures.register_pkcs12_key(secretary, secretary, b"\x30\x82garbage", "x")
    with pytest.raises(ValidationError):
        signatures.register_pkcs12_key(secretary, secretary, b"A" * (2 * 1024 * 1024), "x")
    other = f.user("nils")
    with pytest.raises(PermissionDenied):  # only the user or an administrator
        signatures.register_pkcs12_key(secretary, other, b"x", "x")


def test_an_administrator_registers_a_key_from_the_command_line(world, test_pki, tmp_path,
                                                                 monkeypatch):
    from django.core.management import CommandError, call_command

    from diarium.documents.signature_models import SignerKey

    ks, *_rest = world
    admin = f.user("adam", roles={ks.authority: "administrator"})
    user = f.user("ulla", roles={ks.authority: "officer"})
    path = tmp_path / "ulla.p12"
    path.write_bytes(pki.pkcs12(test_pki.signers["Jonas Justerare"], PASSWORD.encode()))
    monkeypatch.setenv("DIARIUM_KEY_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("signer_key", user="ulla", by="adam", pkcs12=path, stdout=out)
    assert "Jonas Justerare" in out.getvalue()
    assert SignerKey.objects.get(user=user, active=True).created_by == admin
    monkeypatch.setenv("DIARIUM_KEY_PASSWORD", "fel")
    with pytest.raises(CommandError):
        call_command("signer_key", user="ulla", by="adam", pkcs12=path)
