"""The import's messages are checked in English (the Swedish ones are the .po file's)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
