"""The unit's report form: prefilled with its indicator achievements (from performance) and its
budget absorption (from budget) for the meeting's period; submitting keeps those figures."""

from decimal import Decimal

import pytest

from sinergi.budget.testing import make_small_budget
from sinergi.meetings.models import Report
from sinergi.meetings.testing import make_meeting, post_report, signed_in
from sinergi.performance import services as performance
from sinergi.performance.testing import make_small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units):
    plan = make_small_plan(units)
    performance.realisation_enter(
        actor=None,
        indicator=plan.upt_a_served,
        year=2026,
        quarter=1,
        value=Decimal("40"),
        evidence_text="Register klien triwulan I",
    )
    return plan


def test_the_form_shows_the_units_own_indicators_with_achievement_and_band(plan, people, units):
    meeting = make_meeting([units.upt_a, units.upt_b], quarter=1)
    response = signed_in(people["head_a"]).get(f"/rakortek/{meeting.pk}/unit/{units.upt_a.pk}/")
    rows = {a["code"]: a for a in response.context["achievements"]}
    assert set(rows) == {"UPT-A-1", "UPT-A-2"}  # not UPT B's, not the office IKU
    served = rows["UPT-A-1"]
    # Q1 target 50, entered 40 (kept as text: "50" on SQLite, "50.0000" on PostgreSQL)
    assert (Decimal(served["target"]), Decimal(served["realisation"])) == (50, 40)
    assert Decimal(served["achievement"]) == Decimal("80")
    assert served["band"]
    assert served["verified"] is False
    content = response.content.decode()
    assert "Klien terlayani" in content
    assert "80,00%" in content


def test_a_submitted_report_keeps_the_figures_it_was_submitted_with(plan, people, units):
    make_small_budget(units)
    meeting = make_meeting([units.upt_a], quarter=1)
    post_report(signed_in(people["head_a"]), meeting, units.upt_a)
    report = Report.objects.get(meeting=meeting, unit=units.upt_a)
    assert report.status == "submitted"
    kept = {a["code"]: a["realisation"] for a in report.achievements}
    assert kept.keys() == {"UPT-A-1", "UPT-A-2"}
    assert (Decimal(kept["UPT-A-1"]), kept["UPT-A-2"]) == (40, None)
    assert Decimal(report.absorption["absorption"]) == Decimal("40")  # UPT A: 40 % by March
    # the unit corrects its realisation later: the submitted report does not change
    realisation = plan.upt_a_served.realisations.get(year=2026, quarter=1)
    realisation.value = Decimal("45")
    realisation.save()
    page = signed_in(people["planner"]).get(f"/rakortek/{meeting.pk}/unit/{units.upt_a.pk}/")
    shown = {a["code"]: a["realisation"] for a in page.context["achievements"]}
    assert Decimal(shown["UPT-A-1"]) == 40
