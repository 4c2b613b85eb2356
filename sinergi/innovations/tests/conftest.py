"""Fixtures of the innovations tests: staff of two UPT, the planning officer, the head of office."""

import pytest

from sinergi.innovations.testing import make_innovation


@pytest.fixture
def people(make_user, units):
    return {
        "worker_a": make_user("social_worker", units.upt_a),
        "worker_b": make_user("social_worker", units.upt_b),
        "finance": make_user("finance_officer", units.secretariat),
        "planner": make_user("planning_officer", units.secretariat),
        "head": make_user("head_of_office", units.office),
    }


@pytest.fixture
def innovation(units):
    """Pro Wes Difa of UPT A (not published)."""
    return make_innovation(units.upt_a)
