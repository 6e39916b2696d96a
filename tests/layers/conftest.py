import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_export_quota():
    """Each test starts with a full export quota (see layers.throttle)."""
    cache.clear()
    yield
    cache.clear()
