"""Fixtures of the rehabilitation tests: regions, reference data and the people of two UPT."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from sinergi.rehabilitation.testing import ensure_reference, ensure_regions


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def reference(db):
    ensure_reference()


@pytest.fixture
def regions(db):
    return ensure_regions()


@dataclass
class People:
    worker_a: object  # social worker of UPT A (RSBD Pasuruan)
    worker_a2: object  # another social worker of UPT A
    head_a: object  # head of UPT A
    worker_b: object  # social worker of UPT B (PSTW Magetan)
    head_b: object
    division: object  # head of the rehabilitation division (both UPT below)
    office: object  # head of office (everything)
    no_role: object
    finance: object  # a role without rehabilitation permissions


@pytest.fixture
def people(units, make_user, reference, regions):
    return People(
        worker_a=make_user("social_worker", units.upt_a, username="peksos-a"),
        worker_a2=make_user("social_worker", units.upt_a, username="peksos-a2"),
        head_a=make_user("head_of_upt", units.upt_a, username="kepala-a"),
        worker_b=make_user("social_worker", units.upt_b, username="peksos-b"),
        head_b=make_user("head_of_upt", units.upt_b, username="kepala-b"),
        division=make_user("head_of_division", units.rehab_division, username="kabid"),
        office=make_user("head_of_office", units.office, username="kadis"),
        no_role=make_user(None, units.upt_a, username="no-role"),
        finance=make_user("finance_officer", units.secretariat, username="keuangan"),
    )
