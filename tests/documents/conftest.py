"""The documents tests run in Swedish, the default language, whatever an earlier test in
the same process left active (services' messages are translated where they are made)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield
