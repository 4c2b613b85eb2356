import pytest

from sinergi.pillars.testing import make_regions


@pytest.fixture
def regions(db):
    return make_regions()


@pytest.fixture
def officer(make_user, units):
    return make_user("pillar_officer", units.empowerment_division, full_name="Petugas Pilar")


@pytest.fixture
def finance(make_user, units):
    return make_user("finance_officer", units.secretariat, full_name="Bendahara")
