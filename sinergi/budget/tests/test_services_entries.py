"""Physical progress per unit, cancelling an SP2D, quarterly cash plans, and the summaries when the
DPA structure moves."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.budget import selectors, services
from sinergi.budget.models import PhysicalProgress, Realisation, RealisationAllocation
from sinergi.budget.selectors import absorption
from sinergi.budget.testing import make_line
from sinergi.core.errors import ApplicationError

pytestmark = pytest.mark.django_db
K = Decimal("1000")


def _report(line, actor=None, month=3, percent="40", **overrides):
    fields = {
        "actor": actor,
        "sub_kegiatan": line.sub_kegiatan,
        "unit": line.unit,
        "month": month,
        "percent": Decimal(percent),
        "reported_by": "Budi Santoso",
    }
    fields.update(overrides)
    return services.progress_report(**fields)


# --- Physical progress per unit ------------------------------------------------------------------


def test_two_units_of_the_same_sub_kegiatan_report_their_own_progress(budget, units):
    # UPT B carries UPT A's sub kegiatan too (in SIPD each UPT has its own DPA)
    shared = make_line(budget.year, units.upt_b, account="5.1.02.01.01.0099")
    assert shared.sub_kegiatan_id == budget.line_a.sub_kegiatan_id
    _report(budget.line_a, percent="40")
    _report(shared, percent="75")
    assert selectors.progress_by_month(
        sub_kegiatan_id=shared.sub_kegiatan_id, unit_id=units.upt_a.pk
    )[3].percent == Decimal("40")
    assert selectors.progress_by_month(
        sub_kegiatan_id=shared.sub_kegiatan_id, unit_id=units.upt_b.pk
    )[3].percent == Decimal("75")


def test_progress_report_is_audited_with_the_unit(budget):
    _report(budget.line_a, percent="40")
    event = AuditEvent.objects.filter(action="budget.progress_reported").get()
    assert event.changes == {"month_3": [None, "40"]}
    assert event.extra == {"unit": "upt-rsbd-pasuruan", "reported_by": "Budi Santoso"}


def test_a_kpa_reports_progress_for_own_unit_only(budget, make_user, units):
    head_a = make_user("head_of_upt", units.upt_a)
    _report(budget.line_a, actor=head_a)
    with pytest.raises(ApplicationError) as error:
        _report(budget.line_b, actor=head_a)
    assert error.value.code == "not_your_unit"
    assert PhysicalProgress.objects.count() == 1


def test_finance_reports_progress_for_any_unit(budget, make_user, units):
    finance = make_user("finance_officer", units.secretariat)
    _report(budget.line_b, actor=finance)
    assert PhysicalProgress.objects.get().unit == units.upt_b


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"month": 13}, "invalid_month"),
        ({"percent": "100.01"}, "invalid_percent"),
        ({"percent": "-1"}, "invalid_percent"),
        ({"reported_by": "  "}, "reporter_required"),
    ],
)
def test_progress_outside_its_ranges_is_refused(budget, overrides, code):
    with pytest.raises(ApplicationError) as error:
        _report(budget.line_a, **overrides)
    assert error.value.code == code
    assert not PhysicalProgress.objects.exists()


def test_progress_of_a_unit_without_lines_in_the_sub_kegiatan_is_refused(budget, units):
    with pytest.raises(ApplicationError) as error:
        _report(budget.line_a, unit=units.upt_b)
    assert error.value.code == "no_line"
    assert "1.06.04.1.01.0001" in error.value.message
    assert "UPT PSTW Magetan" in error.value.message


# --- Cancelling an SP2D --------------------------------------------------------------------------


def test_cancelling_an_sp2d_removes_it_lowers_absorption_and_keeps_it_in_the_audit(
    budget, make_user, units
):
    finance = make_user("finance_officer", units.secretariat)
    head = make_user("head_of_office", units.office)
    sp2d = Realisation.objects.get(sp2d_number="SP2D-002")  # line A 300.000, line B 200.000
    services.realisation_cancel(actor=finance, realisation=sp2d, reason="Nilai salah ketik")
    assert not Realisation.objects.filter(sp2d_number="SP2D-002").exists()
    assert not RealisationAllocation.objects.filter(realisation_id=sp2d.pk).exists()
    office = selectors.office_absorption(viewer=head, fiscal_year=budget.year, month=12)
    assert office.realised == 500 * K  # 1.000.000 - 500.000
    event = AuditEvent.objects.get(action="budget.realisation_cancelled")
    assert event.changes["sp2d_number"] == ["SP2D-002", None]
    assert event.changes["amount"] == ["500000.00", None]
    assert event.extra == {
        "lines": {str(budget.line_a.pk): "300000.00", str(budget.line_b.pk): "200000.00"},
        "reason": "Nilai salah ketik",
    }
    # the summaries followed, and the number can be entered again
    for group in ("unit", "all"):
        assert {
            k: (r.realised, r.realised_previous)
            for k, r in absorption._absorption_from_summaries(
                viewer=head, fiscal_year=budget.year, month=12, group=group
            ).items()
        } == {
            k: (r.realised, r.realised_previous)
            for k, r in absorption._absorption_from_lines(
                viewer=head, fiscal_year=budget.year, month=12, group=group
            ).items()
        }
    services.realisation_create(
        actor=finance,
        fiscal_year=budget.year,
        sp2d_number="SP2D-002",
        paid_on=dt.date(2026, 2, 20),
        sp2d_type="LS",
        allocations={budget.line_a: 30 * K},
    )


def test_cancelling_needs_a_reason_and_the_finance_role(budget, make_user, units):
    sp2d = Realisation.objects.get(sp2d_number="SP2D-001")
    finance = make_user("finance_officer", units.secretariat)
    with pytest.raises(ApplicationError) as error:
        services.realisation_cancel(actor=finance, realisation=sp2d, reason=" ")
    assert error.value.code == "reason_required"
    with pytest.raises(ApplicationError) as error:
        services.realisation_cancel(
            actor=make_user("head_of_upt", units.upt_a), realisation=sp2d, reason="salah"
        )
    assert error.value.code == "forbidden"
    assert Realisation.objects.filter(sp2d_number="SP2D-001").exists()
    assert not AuditEvent.objects.filter(action="budget.realisation_cancelled").exists()


def test_cancelling_in_a_closed_year_is_refused(budget):
    services.fiscal_year_set_status(actor=None, fiscal_year=budget.year, status="closed")
    with pytest.raises(ApplicationError) as error:
        services.realisation_cancel(
            actor=None, realisation=Realisation.objects.get(sp2d_number="SP2D-001"), reason="x"
        )
    assert error.value.code == "year_closed"
    assert Realisation.objects.count() == 3


# --- Quarterly cash plans ------------------------------------------------------------------------


def test_a_quarter_is_split_evenly_over_its_months_to_the_cent():
    months = services.split_quarters([Decimal(100), Decimal(90), Decimal(0), Decimal("0.05")])
    assert months == [
        Decimal("33.33"), Decimal("33.33"), Decimal("33.34"),
        Decimal("30.00"), Decimal("30.00"), Decimal("30.00"),
        Decimal("0.00"), Decimal("0.00"), Decimal("0"),
        Decimal("0.01"), Decimal("0.01"), Decimal("0.03"),
    ]  # fmt: skip


@given(
    st.lists(
        st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
        min_size=4,
        max_size=4,
    )
)
def test_split_quarters_keep_every_quarter_exactly(quarters):
    months = services.split_quarters(quarters)
    assert len(months) == 12
    for number, quarter in enumerate(quarters):
        three = months[number * 3 : number * 3 + 3]
        assert sum(three) == quarter
        assert all(m >= 0 for m in three)
        assert max(three) - min(three) <= Decimal("0.02")


# --- The DPA structure moving ----------------------------------------------------------------


def test_a_kegiatan_moved_to_another_program_moves_every_units_figures(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    # line C's kegiatan 1.06.02.1.02 is declared again under program 1.06.04 by a line of UPT A
    make_line(
        budget.year,
        units.upt_a,
        program="1.06.04",
        kegiatan="1.06.02.1.02",
        sub="1.06.02.1.02.0002",
        account="5.1.02.01.01.0077",
    )
    by_program = {
        r.code: r.pagu
        for r in selectors.absorption_by(
            viewer=head, fiscal_year=budget.year, month=3, group="program"
        )
    }
    # the empowerment division's line C (1.000.000) now counts under 1.06.04 as well
    assert by_program == {"1.06.04": Decimal("5000000")}
    for group in ("unit", "program"):
        assert {
            k: r.pagu
            for k, r in absorption._absorption_from_summaries(
                viewer=head, fiscal_year=budget.year, month=3, group=group
            ).items()
        } == {
            k: r.pagu
            for k, r in absorption._absorption_from_lines(
                viewer=head, fiscal_year=budget.year, month=3, group=group
            ).items()
        }
