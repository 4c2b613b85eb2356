import io
from decimal import Decimal

import pytest

from sinergi.budget import demo, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim_units(db):
    from sinergi.organisation import demo as organisation_demo
    from sinergi.organisation.models import Region

    Region.objects.create(code="35", name="Jawa Timur", level=1)  # keeps the region load out
    organisation_demo.load(io.StringIO())


def test_demo_reproduces_a_lagging_august_and_rank_59_of_60(jatim_units):
    demo.load(io.StringIO())
    year = selectors.fiscal_year_get(2026)
    office = selectors.office_absorption(viewer=selectors.SYSTEM, fiscal_year=year, month=8)
    assert Decimal("46") <= office.absorption <= Decimal("47")
    ranking = selectors.provincial_ranking(fiscal_year=year, month=8)
    assert (ranking.rank, ranking.total) == (59, 60)
    _milestone, projections = selectors.unit_projections(
        viewer=selectors.SYSTEM, fiscal_year=year, month=8
    )
    behind = [p.row.code for p in projections if p.row.absorption < 30]
    assert "bidang-pfm" in behind
    from sinergi.budget.models import BudgetLine, PhysicalProgress

    # every unit's sub kegiatan has its physical progress, January to July
    carried = BudgetLine.objects.values_list("sub_kegiatan_id", "unit_id").distinct().count()
    assert PhysicalProgress.objects.count() == carried * 7
    demo.load(io.StringIO())  # idempotent
    assert selectors.provincial_ranking(fiscal_year=year, month=8).total == 60
