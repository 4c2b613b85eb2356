import pytest

from sinergi.performance.testing import make_small_plan


@pytest.fixture
def plan(units):
    return make_small_plan(units)
