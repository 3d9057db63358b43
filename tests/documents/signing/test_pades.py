"""The signing engine without the workflow: PAdES signatures added as incremental updates
and every signature validated against the trust list, including the bad cases (a changed
byte, an expired or revoked certificate, a certificate outside the trust list, a broken
signature, not a PDF)."""

import pytest

from diarium.documents.signing.keys import KeyUnusable, Pkcs12Key
from diarium.documents.signing.pades import Appearance, SigningFailed, sign_pdf
from diarium.documents.signing.trust import Trust, UrlTimeStamper
from diarium.documents.signing.validation import validate_pdf
from tests import pki
from tests.documents.signing.conftest import p12_key, sample_pdf


def signed_by(test_pki, *names, pdf=None):
    pdf = pdf or sample_pdf()
    for n, name in enumerate(names, start=1):
        pdf = sign_pdf(pdf, p12_key(test_pki, name),
                       Appearance(f"Signatur{n}", name, role="justerare"))
    return pdf


def test_two_signatures_are_incremental_and_both_valid(test_pki, trusted):
    original = sample_pdf()
    once = signed_by(test_pki, "Anna Ordförande", pdf=original)
    twice = sign_pdf(once, p12_key(test_pki, "Jonas Justerare"),
                     Appearance("Signatur2", "Jonas Justerare", role="justerare"))
    assert once.startswith(original) and twice.startswith(once)
    report = validate_pdf(twice, trusted)
    assert report["valid"], report
    assert [s["signer_name"] for s in report["signatures"]] == [
        "Anna Ordförande", "Jonas Justerare"]
    first = report["signatures"][0]
    assert first["intact"] and first["trusted"] and not first["revoked"]
    assert first["role"] == "justerare" and "Root CA" in first["chain"][-1]


def test_one_changed_byte_makes_it_invalid(test_pki, trusted):
    signed = bytearray(signed_by(test_pki, "Anna Ordförande"))
    at = signed.index(b"/Producer") + 3  # inside the signed range, not a structure byte
    signed[at] = ord("X") if signed[at] != ord("X") else ord("Y")
    report = validate_pdf(bytes(signed), trusted)
    assert not report["valid"]
    assert not report["signatures"][0]["intact"]


def test_expired_certificate_is_not_valid(test_pki, trusted):
    report = validate_pdf(signed_by(test_pki, "Gammal Signerare"), trusted)
    assert not report["valid"] and not report["signatures"][0]["trusted"]


def test_revoked_certificate_is_not_valid(test_pki, trusted):
    report = validate_pdf(signed_by(test_pki, "Spärrad Signerare"), trusted)
    signature = report["signatures"][0]
    assert not report["valid"] and signature["revoked"]
    assert any("revoked" in p for p in signature["problems"])


def test_certificate_outside_the_trust_list_is_not_trusted(test_pki):
    other = Trust(roots=[pki_root_asn1(pki.root_ca("Annan kommun CA"))])
    report = validate_pdf(signed_by(test_pki, "Anna Ordförande"), other)
    assert not report["valid"] and not report["signatures"][0]["trusted"]
    assert report["signatures"][0]["intact"]


def test_a_broken_signature_is_reported(test_pki, trusted):
    signed = bytearray(signed_by(test_pki, "Anna Ordförande"))
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    signed[start + 200:start + 240] = b"0" * 40  # the CMS blob itself is damaged
    report = validate_pdf(bytes(signed), trusted)
    assert not report["valid"] and report["signatures"][0]["problems"]


def test_not_a_pdf_and_an_unsigned_pdf_are_reported(trusted):
    assert validate_pdf(b"%PDF-1.7 nothing here", trusted)["problems"]
    unsigned = validate_pdf(sample_pdf(), trusted)
    assert not unsigned["valid"] and unsigned["problems"] == ["the PDF holds no signature"]
    with pytest.raises(SigningFailed):
        sign_pdf(b"not a pdf", Pkcs12Key(pki.pkcs12(
            pki.signer_certificate(pki.root_ca(), "X"), b"pw"), "pw"), Appearance("S", "X"))


def test_a_wrong_password_is_refused(test_pki):
    data = pki.pkcs12(test_pki.signers["Anna Ordförande"], b"right")
    with pytest.raises(KeyUnusable):
        Pkcs12Key(data, "wrong")


def test_b_t_carries_a_trusted_timestamp(test_pki, tmp_path, settings):
    from tests.documents.signing.conftest import write_trust
    from tests.tsa import running_tsa

    tsa = pki.tsa_certificate(test_pki.root)
    write_trust(tmp_path, test_pki, settings)
    from diarium.documents.signing.trust import configured_trust
    with running_tsa(tsa) as url:
        signed = sign_pdf(sample_pdf(), p12_key(test_pki, "Anna Ordförande"),
                          Appearance("Signatur1", "Anna"), level="B-T",
                          timestamper=UrlTimeStamper(url))
    report = validate_pdf(signed, configured_trust())
    assert report["valid"], report
    assert report["signatures"][0]["timestamp"] is not None


def pki_root_asn1(issued):
    from asn1crypto import x509
    return x509.Certificate.load(issued.cert_der)


def test_a_truncated_signed_pdf_is_not_valid(test_pki, trusted):
    signed = signed_by(test_pki, "Anna Ordförande")
    report = validate_pdf(signed[: len(signed) - 200], trusted)
    assert not report["valid"]


def test_b_lt_embeds_validation_data(test_pki, tmp_path, settings):
    from diarium.documents.signing.trust import configured_trust
    from tests.documents.signing.conftest import write_trust
    from tests.tsa import running_tsa

    write_trust(tmp_path, test_pki, settings)
    with running_tsa(pki.tsa_certificate(test_pki.root)) as url:
        signed = sign_pdf(sample_pdf(), p12_key(test_pki, "Anna Ordförande"),
                          Appearance("Signatur1", "Anna"), level="B-LT",
                          timestamper=UrlTimeStamper(url), trust=configured_trust())
    assert b"/DSS" in signed  # the document security store with certificates and CRLs
    report = validate_pdf(signed, configured_trust())
    assert report["valid"], report


def test_b_t_without_a_timestamp_authority_is_refused(test_pki):
    with pytest.raises(SigningFailed):
        sign_pdf(sample_pdf(), p12_key(test_pki, "Anna Ordförande"),
                 Appearance("Signatur1", "Anna"), level="B-T")
