import io

import pytest
from django.core.management import call_command

from sinergi.budget.models import Realisation
from sinergi.pillars.models import Batch, Cycle, Entitlement, Member

pytestmark = pytest.mark.django_db


def test_demo_has_one_tksk_per_kecamatan_two_paid_quarters_and_one_open_and_loads_once():
    call_command("load_demo", stdout=io.StringIO())
    tksk = Member.objects.filter(pillar_type__code="tksk")
    assert tksk.count() == 666 == tksk.values("district").distinct().count()
    assert Member.objects.filter(pillar_type__code="tagana").count() == 1858
    assert [(c.year, c.quarter) for c in Cycle.objects.order_by("year", "quarter")] == [
        (2025, 3),
        (2025, 4),
        (2026, 1),
    ]
    assert list(
        Batch.objects.order_by("cycle__year", "cycle__quarter").values_list("status", flat=True)
    ) == [
        "reconciled",
        "reconciled",
        "draft",
    ]
    assert Entitlement.objects.filter(status="failed").count() == 7
    jsc = Member.objects.filter(pillar_type__code="jatim-social-care")
    assert jsc.count() == 40
    linked = jsc.exclude(employee=None).select_related("employee__unit__unit_type")
    assert linked.count() == 40  # the staff demo has more than 40 UPT employees with a NIP
    assert all(m.employee.unit.unit_type.is_service_unit for m in linked)
    assert all(m.name == m.employee.name for m in linked)
    for batch in Batch.objects.all():
        summed = sum(batch.summaries.exclude(status="excluded").values_list("count", flat=True))
        assert summed == batch.entitlements.exclude(status="excluded").count()
    assert Realisation.objects.filter(sp2d_number__endswith="/SP2D/LS/2025").count() == 2
    count = Member.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Member.objects.count() == count
