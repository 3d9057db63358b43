import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Rate limits count in the cache; each test starts with none used, and they are off
    unless a test switches them on."""
    cache.clear()
    settings.PUBLIC_RATE = "off"
    yield
    cache.clear()
