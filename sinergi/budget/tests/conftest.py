import pytest

from sinergi.budget.testing import make_small_budget


@pytest.fixture
def budget(units):
    return make_small_budget(units)


@pytest.fixture
def people(make_user, units):
    """One user per role the budget pages tell apart (UPT A / UPT B: heads of two UPTs)."""
    return {
        "worker": make_user("social_worker", units.upt_b),
        "head_a": make_user("head_of_upt", units.upt_a),
        "head_b": make_user("head_of_upt", units.upt_b),
        "division": make_user("head_of_division", units.rehab_division),
        "finance": make_user("finance_officer", units.secretariat),
        "head": make_user("head_of_office", units.office),
    }
