"""Signing with a key that never leaves a PKCS#11 token (SoftHSM2 as a real token)."""

import uuid

import pytest

from diarium.documents.signing.keys import KeyUnusable, Pkcs11Key
from diarium.documents.signing.pades import Appearance, sign_pdf
from diarium.documents.signing.validation import validate_pdf
from tests import softhsm
from tests.documents.signing.conftest import sample_pdf

PIN = "1234"


@pytest.fixture(scope="session")
def token(tmp_path_factory, test_pki):
    # Session-scoped: SoftHSM reads its configuration once per process, and pytest-django
    # runs this module's database test first, apart from the others.
    label = f"Diarium-{uuid.uuid4().hex[:8]}"
    softhsm.prepare(tmp_path_factory.mktemp("softhsm"))
    softhsm.init_token(label, PIN)
    softhsm.put_key(label, PIN, "anna", test_pki.signers["Anna Ordförande"])
    return label


def test_a_pdf_signed_on_the_token_validates(token, trusted):
    with Pkcs11Key(softhsm.MODULE, token, "anna", PIN) as key:
        signed = sign_pdf(sample_pdf(), key, Appearance("Signatur1", "Anna Ordförande"))
    report = validate_pdf(signed, trusted)
    assert report["valid"], report
    assert report["signatures"][0]["signer_name"] == "Anna Ordförande"


def test_a_wrong_pin_or_label_is_refused(token):
    with pytest.raises(KeyUnusable):
        Pkcs11Key(softhsm.MODULE, token, "anna", "0000")
    with pytest.raises(KeyUnusable):
        Pkcs11Key(softhsm.MODULE, token, "nobody", PIN)
    with pytest.raises(KeyUnusable):
        Pkcs11Key(softhsm.MODULE, "no such token", "anna", PIN)


@pytest.mark.django_db
def test_the_workflow_signs_with_a_token_key_whose_pin_is_sealed(token, trusted):
    from diarium.documents.signature_models import KeyKind, RequestStatus, SignerKey
    from diarium.registry.services import signatures
    from tests import factories as f
    from tests.documents.signing.test_workflow import final_pdf_document

    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    admin = f.user("adam", roles={ks.authority: ["administrator", "secretary"]})
    chair = f.user("anna", roles={ks.authority: "officer"})
    signatures.register_pkcs11_key(admin, chair, softhsm.MODULE, token, "anna", PIN)
    key = SignerKey.objects.get(user=chair, active=True)
    assert key.kind == KeyKind.PKCS11 and PIN not in key.sealed and "anna" not in key.sealed
    case = f.case(admin, ks, "Sammanträde", responsible_officer=admin)
    doc = final_pdf_document(admin, case)
    request = signatures.request_signatures(admin, doc.final_version, [(chair, "ordförande")])
    signatures.sign(chair, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert request.steps.get().report.valid
    with pytest.raises(Exception, match="token"):
        signatures.register_pkcs11_key(admin, chair, softhsm.MODULE, token, "anna", "9999")
