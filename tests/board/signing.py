"""Signing keys for the board's tests: the test PKI of the signature tests (tests/pki.py,
made at test time), its root as the trust list, and a PKCS#12 key for the members who
sign the minutes (their logins given the reader role, so that they may read them)."""

from pathlib import Path

import pytest

from diarium.organisation.models import RoleAssignment
from diarium.registry.services import signatures
from tests import pki

PASSWORD = "hemligt-lösen"
SIGNERS = {"chair": "Anna Ordförande", "vice": "Bo Vice", "m1": "Cecilia Ledamot",
           "sub": "David Ersättare"}


@pytest.fixture(scope="session")
def board_pki() -> pki.SigningPki:
    return pki.signing_pki(list(SIGNERS.values()))


def trust(folder: Path, test_pki: pki.SigningPki, settings) -> None:
    settings.SIGNATURE_TRUST = [str(test_pki.root.write_pem(folder / "root.pem"))]
    settings.SIGNATURE_OTHER_CERTS = [str(test_pki.issuing.write_pem(folder / "issuing.pem"))]
    settings.SIGNATURE_CRLS = []


def may_sign(world, test_pki: pki.SigningPki, *keys: str) -> None:
    """The members' logins hold the reader role and a registered PKCS#12 key."""
    for key in keys:
        user = world.member(key).user
        RoleAssignment.objects.get_or_create(user=user, authority=world.authority,
                                             role="reader")
        user.__dict__.pop("_diarium_access", None)  # the role is new: read access again
        data = pki.pkcs12(test_pki.signers[SIGNERS[key]], PASSWORD.encode(),
                          [test_pki.issuing])
        signatures.register_pkcs12_key(user, user, data, PASSWORD)


@pytest.fixture
def signing(tmp_path, board_pki, settings):
    """Returns may_sign bound to the PKI, with the PKI's root as the trust list."""
    trust(tmp_path, board_pki, settings)
    return lambda world, *keys: may_sign(world, board_pki, *keys)
