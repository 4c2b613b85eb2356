import pytest

from sinergi.performance.testing import make_small_plan


@pytest.fixture
def plan(units):
    return make_small_plan(units)


@pytest.fixture
def people(make_user, units):
    return {
        "worker": make_user("social_worker", units.upt_a),
        "head_a": make_user("head_of_upt", units.upt_a),
        "head_b": make_user("head_of_upt", units.upt_b),
        "division": make_user("head_of_division", units.rehab_division),
        "planner": make_user("planning_officer", units.secretariat),
        "head": make_user("head_of_office", units.office),
        "auditor": make_user("auditor", units.office),
    }
