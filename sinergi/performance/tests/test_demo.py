import io
from decimal import Decimal

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.performance import demo, selectors
from sinergi.performance.models import Indicator, Realisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim(db):
    from sinergi.budget import demo as budget_demo
    from sinergi.organisation import demo as organisation_demo
    from sinergi.organisation.models import Region

    Region.objects.create(code="35", name="Jawa Timur", level=1)  # keeps the region load out
    organisation_demo.load(io.StringIO())
    budget_demo.load(io.StringIO())


def test_demo_loads_a_renstra_with_targets_realisation_and_links_and_is_idempotent(jatim):
    out = io.StringIO()
    demo.load(out)
    assert "Renstra 2025-2029" in out.getvalue()
    assert Indicator.objects.filter(level="iku").count() == 4
    rsbd = Indicator.objects.get(code="RSBD-01")
    assert rsbd.parent.code == "IKU-01"
    assert rsbd.sub_kegiatan.count() == 1
    # some 2026 figures are below target: RSBD-01 Q3 48 of 60 = 80 %
    from sinergi.organisation.models import Unit

    unit = Unit.objects.get(code="upt-rsbd-pasuruan")
    rows = {
        r.code: r
        for r in selectors.unit_achievements(
            viewer=selectors.SYSTEM, unit_id=unit.pk, year=2026, quarter=3
        )
    }
    assert rows["RSBD-01"].achievement == Decimal("80.00")
    assert rows["RSBD-01"].verified is False  # quarter III waits for verification
    assert rows["RSBD-05"].achievement == Decimal("100.00")  # 96 % within 85-100
    assert Realisation.objects.filter(year=2026, quarter=1, verified=True).exists()
    report = selectors.lkjip(viewer=selectors.SYSTEM, year=2026)
    assert report.attention  # notes for indicators below expectation
    counts = (Indicator.objects.count(), Realisation.objects.count(), AuditEvent.objects.count())
    demo.load(io.StringIO())
    assert (
        Indicator.objects.count(),
        Realisation.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
