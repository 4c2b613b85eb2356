"""Fixtures of the meetings tests: people in each role and a meeting of three units."""

import pytest

from sinergi.meetings.testing import make_meeting


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


@pytest.fixture
def meeting(units):
    return make_meeting([units.secretariat, units.upt_a, units.upt_b])
