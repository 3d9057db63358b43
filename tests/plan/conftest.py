import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English msgids; one test switches to Swedish on purpose."""
    with translation.override("en"):
        yield

