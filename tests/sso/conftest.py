"""Fixtures of the sign-in tests: settings made from DIARIUM_* variables exactly as a
process would read them (organisation/signin_conf.py), a municipality with two boards, and
the real identity providers (oidc_provider.py, saml_idp.py) started once per test run."""

from __future__ import annotations

import pytest

from diarium.organisation.signin_conf import signin_settings
from tests import factories as f


def configure(settings, env: dict[str, str]) -> None:
    """Apply the settings a process started with `env` would have."""
    for name, value in signin_settings(env).items():
        setattr(settings, name, value)


@pytest.fixture
def boards(db):
    muni = f.municipality("Sjövik", "2999")
    return {"KS": f.authority("KS", muni), "BUN": f.authority("BUN", muni), "muni": muni}


GROUP_ROLES = ('{"diarium-ks-registratorer": ["KS:registrar"], '
               '"diarium-administratorer": ["KS:administrator", "BUN:administrator"], '
               '"diarium-bun-handlaggare": "BUN:officer"}')
