"""The contract other apps (meetings) rely on: unit_achievements."""

from decimal import Decimal

import pytest

from sinergi.performance import selectors, services
from sinergi.performance.selectors import AchievementRow

pytestmark = pytest.mark.django_db


def test_unit_achievements_for_a_quarter_and_the_year(plan, units, make_user):
    head = make_user("head_of_office", units.office)
    services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value="40",
        evidence_text="Register klien",
    )
    services.realisation_enter(
        actor=None,
        indicator=plan.upt_a_complaints,
        year=2026,
        quarter=1,
        value="12",
        evidence_text="Buku pengaduan",
    )
    rows = selectors.unit_achievements(viewer=head, unit_id=units.upt_a.pk, year=2026, quarter=1)
    assert [r.code for r in rows] == ["UPT-A-1", "UPT-A-2"]
    served, complaints = rows
    assert served == AchievementRow(
        indicator_id=plan.upt_a_served.pk,
        code="UPT-A-1",
        name="Klien terlayani",
        unit_of_measure="orang",
        polarity="maximize",
        target=Decimal("50"),
        realisation=Decimal("40"),
        achievement=Decimal("80.00"),
        band="Baik",
        automatic=False,
        verified=False,
    )
    # no quarter target for complaints: no achievement, but the realisation is shown
    assert complaints.target is None
    assert complaints.achievement is None
    assert complaints.realisation == Decimal("12")

    year_rows = selectors.unit_achievements(
        viewer=head, unit_id=units.upt_a.pk, year=2026, quarter=None
    )
    served_y, complaints_y = year_rows
    assert served_y.target == Decimal("200")
    assert served_y.achievement == Decimal("20.00")  # 40 of 200 so far
    assert served_y.band == "Sangat Kurang"
    # lower is better: (2 x 10 - 12) / 10 = 80 %
    assert complaints_y.achievement == Decimal("80.00")


def test_unit_achievements_outside_the_viewer_scope_is_empty(plan, units, make_user):
    head_b = make_user("head_of_upt", units.upt_b)
    assert (
        selectors.unit_achievements(viewer=head_b, unit_id=units.upt_a.pk, year=2026, quarter=None)
        == []
    )
    own = selectors.unit_achievements(
        viewer=head_b, unit_id=units.upt_b.pk, year=2026, quarter=None
    )
    assert [r.code for r in own] == ["UPT-B-1"]
