"""The demo Rakortek (seed 000): quarter III 2026 with every unit's report, most submitted with
their figures from the performance and budget demo, one late, a few still drafting, two follow-up
actions; loading it twice changes nothing."""

import io
from decimal import Decimal

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.meetings import demo
from sinergi.meetings.models import FollowUp, Meeting, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim(roles):
    from sinergi.accounts import demo as accounts_demo
    from sinergi.budget import demo as budget_demo
    from sinergi.organisation import demo as organisation_demo
    from sinergi.organisation.models import Region
    from sinergi.performance import demo as performance_demo

    Region.objects.create(code="35", name="Jawa Timur", level=1)  # keeps the region load out
    for module in (organisation_demo, accounts_demo, budget_demo, performance_demo):
        module.load(io.StringIO())


def test_the_demo_meeting_has_reports_with_figures_late_and_draft_ones(jatim):
    out = io.StringIO()
    demo.load(out)
    meeting = Meeting.objects.get(title=demo.TITLE)
    reports = {r.unit.code: r for r in meeting.reports.select_related("unit")}
    assert reports["upt-psbr-blitar"].status == "submitted"
    assert reports["upt-psbr-blitar"].is_late
    assert not reports["upt-rsbd-pasuruan"].is_late
    assert {code for code, r in reports.items() if r.status == "draft"} == demo.DRAFT_UNITS
    assert {code for code, r in reports.items() if r.status == "not_started"} == demo.NOT_STARTED
    rsbd = reports["upt-rsbd-pasuruan"]
    assert {a["code"] for a in rsbd.achievements} >= {"RSBD-01"}  # from the performance demo
    assert rsbd.absorption["month"] == 9  # the end of quarter III, from the budget demo
    assert Decimal(rsbd.absorption["pagu"]) > 0
    submitted = sum(1 for r in reports.values() if r.status == "submitted")
    assert f"{submitted} reports submitted" in out.getvalue()
    assert sorted(FollowUp.objects.values_list("owner_unit__code", flat=True)) == [
        "sekretariat",
        "upt-rsbd-pasuruan",
    ]
    counts = (Report.objects.count(), FollowUp.objects.count(), AuditEvent.objects.count())
    demo.load(io.StringIO())
    assert (Report.objects.count(), FollowUp.objects.count(), AuditEvent.objects.count()) == counts
