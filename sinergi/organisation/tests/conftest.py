"""Fixtures of the organisation tests: a handful of real region codes and users who may edit units."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from sinergi.organisation.models import Region
from sinergi.organisation.testing import grant_permissions as grant

REGIONS = [
    # code, name, level, parent
    ("33", "Jawa Tengah", 1, None),
    ("35", "Jawa Timur", 1, None),
    ("33.74", "Kota Semarang", 2, "33"),
    ("35.14", "Kabupaten Pasuruan", 2, "35"),
    ("35.15", "Kabupaten Sidoarjo", 2, "35"),
    ("35.78", "Kota Surabaya", 2, "35"),
    ("35.78.01", "Karang Pilang", 3, "35.78"),
    ("35.78.02", "Wonocolo", 3, "35.78"),
    ("35.78.01.1001", "Karang Pilang", 4, "35.78.01"),
    ("35.78.01.1002", "Kebraon", 4, "35.78.01"),
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); pages are checked in Indonesian by name."""
    with translation.override("en"):
        yield


@pytest.fixture
def regions(db):
    """A few real Kemendagri regions (the full load is tested on its own)."""
    for code, name, level, parent in REGIONS:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)
    return {r.code: r for r in Region.objects.all()}


@dataclass
class People:
    anonymous: None
    no_role: object  # signed in, no role: may not even view units
    office_reader: object  # head of office: sees everything, changes nothing
    office_editor: object  # office-wide scope with add/change unit
    division_editor: object  # Bidang Rehsos with add/change unit: its subtree only
    upt_reader: object  # social worker of UPT A
    empowerment_editor: object  # Bidang Dayasos with add/change unit (no UPT below it)


@pytest.fixture
def people(units, make_user):
    editor_perms = ("organisation.add_unit", "organisation.change_unit")
    return People(
        anonymous=None,
        no_role=make_user(None, units.office, username="no-role"),
        office_reader=make_user("head_of_office", units.office, username="kadinsos"),
        office_editor=grant(
            make_user("head_of_office", units.office, username="office-editor"), *editor_perms
        ),
        division_editor=grant(
            make_user("head_of_division", units.rehab_division, username="kabid-rehsos"),
            *editor_perms,
        ),
        upt_reader=make_user("social_worker", units.upt_a, username="peksos-a"),
        empowerment_editor=grant(
            make_user("head_of_division", units.empowerment_division, username="kabid-dayasos"),
            *editor_perms,
        ),
    )
