import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_and_lockout_state():
    """Throttle counters live in the cache; start every test with none."""
    cache.clear()
    yield
    cache.clear()
