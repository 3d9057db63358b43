"""Shared fixtures of the signature tests: a test PKI (root, issuing CA, signers, a CRL)
written to files and configured as the trust list, and a small PDF to sign."""

from pathlib import Path

import pytest
from django.utils import translation

from diarium.core.pdf import make_pdf
from diarium.documents.signing.keys import Pkcs12Key
from diarium.documents.signing.trust import configured_trust
from tests import pki

PASSWORD = "hemligt-lösen"


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def sample_pdf(text: str = "Protokoll fört vid sammanträde") -> bytes:
    pdf = make_pdf("Protokoll")
    pdf.add_page()
    pdf.set_font(pdf.body_font, size=12)
    pdf.multi_cell(0, 8, pdf.clean(text))
    return bytes(pdf.output())


@pytest.fixture(scope="session")
def test_pki() -> pki.SigningPki:
    return pki.signing_pki(["Anna Ordförande", "Jonas Justerare", "Gammal Signerare",
                            "Spärrad Signerare"],
                           expired=["Gammal Signerare"], revoked=["Spärrad Signerare"])


def write_trust(folder: Path, test_pki: pki.SigningPki, settings) -> None:
    settings.SIGNATURE_TRUST = [str(test_pki.root.write_pem(folder / "root.pem"))]
    settings.SIGNATURE_OTHER_CERTS = [str(test_pki.issuing.write_pem(folder / "issuing.pem"))]
    crl_path = folder / "issuing.crl"
    crl_path.write_bytes(test_pki.crl)
    settings.SIGNATURE_CRLS = [str(crl_path)]


@pytest.fixture
def trusted(tmp_path, test_pki, settings):
    write_trust(tmp_path, test_pki, settings)
    return configured_trust()


def p12_key(test_pki: pki.SigningPki, name: str) -> Pkcs12Key:
    data = pki.pkcs12(test_pki.signers[name], PASSWORD.encode(), [test_pki.issuing])
    return Pkcs12Key(data, PASSWORD)
