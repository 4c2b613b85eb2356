import pytest

from sinergi.budget.testing import make_small_budget


@pytest.fixture
def budget(units):
    return make_small_budget(units)
