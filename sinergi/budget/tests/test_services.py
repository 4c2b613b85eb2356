import datetime as dt
from decimal import Decimal

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.budget import services
from sinergi.budget.models import BudgetRevision, Realisation
from sinergi.budget.testing import make_line
from sinergi.core.errors import ApplicationError

pytestmark = pytest.mark.django_db
K = Decimal("1000")


def _sp2d(budget, actor=None, **overrides):
    fields = {
        "actor": actor,
        "fiscal_year": budget.year,
        "sp2d_number": "SP2D-100",
        "paid_on": dt.date(2026, 5, 2),
        "sp2d_type": "LS",
        "allocations": {budget.line_a: 50 * K},
    }
    fields.update(overrides)
    return services.realisation_create(**fields)


def test_realisation_is_recorded_with_its_allocations_and_audited(budget):
    realisation = _sp2d(budget, allocations={budget.line_a: 50 * K, budget.line_b: 70 * K})
    assert realisation.amount == 120 * K
    assert sorted(a.amount for a in realisation.allocations.all()) == [50 * K, 70 * K]
    event = AuditEvent.objects.filter(action="budget.realisation_recorded").order_by("-pk").first()
    assert event.target_id == str(realisation.pk)
    assert event.changes["amount"] == [None, "120000"]


def test_realisation_above_pagu_is_rejected_naming_line_pagu_and_remainder(budget):
    # line A: pagu 1.000.000, 400.000 realised -> 600.000 remains
    with pytest.raises(ApplicationError) as error:
        _sp2d(budget, allocations={budget.line_a: 600_001})
    assert error.value.code == "above_pagu"
    assert "1.06.04.1.01.0001 / 5.1.02.01.01.0024" in error.value.message
    assert "Rp 1.000.000" in error.value.message
    assert "Rp 600.000" in error.value.message
    assert not Realisation.objects.filter(sp2d_number="SP2D-100").exists()


def test_realisation_up_to_exactly_the_remaining_pagu_is_accepted(budget):
    _sp2d(budget, allocations={budget.line_a: 600 * K})
    assert services.line_realised(budget.line_a) == 1000 * K


def test_duplicate_sp2d_number_in_the_same_year_is_rejected(budget):
    with pytest.raises(ApplicationError) as error:
        _sp2d(budget, sp2d_number="SP2D-001")
    assert error.value.code == "duplicate_sp2d"
    assert Realisation.objects.filter(sp2d_number="SP2D-001").count() == 1


def test_sp2d_date_outside_the_fiscal_year_is_rejected(budget):
    with pytest.raises(ApplicationError) as error:
        _sp2d(budget, paid_on=dt.date(2025, 12, 31))
    assert error.value.code == "date_outside_year"
    assert "31-12-2025" in error.value.message


def test_head_of_upt_enters_sp2d_only_for_lines_of_own_unit(budget, make_user, units):
    head_a = make_user("head_of_upt", units.upt_a)
    _sp2d(budget, actor=head_a)
    with pytest.raises(ApplicationError) as error:
        _sp2d(budget, actor=head_a, sp2d_number="SP2D-101", allocations={budget.line_b: K})
    assert error.value.code == "not_your_unit"


def test_finance_officer_enters_sp2d_for_any_unit(budget, make_user, units):
    finance = make_user("finance_officer", units.secretariat)
    realisation = _sp2d(budget, actor=finance, allocations={budget.line_b: K, budget.line_c: K})
    assert realisation.created_by == finance


def test_social_worker_cannot_enter_sp2d(budget, make_user, units):
    with pytest.raises(ApplicationError):
        _sp2d(budget, actor=make_user("social_worker", units.upt_a))


def test_pagu_revision_keeps_history_and_changes_the_current_pagu(budget):
    services.pagu_revise(
        actor=None,
        line=budget.line_a,
        new_pagu=1200 * K,
        kind=BudgetRevision.Kind.SHIFT,
        revised_on=dt.date(2026, 6, 1),
        reference="SK 900/123/2026",
        reason="Pergeseran antar rekening",
    )
    budget.line_a.refresh_from_db()
    assert budget.line_a.pagu == 1200 * K
    history = list(budget.line_a.revisions.values_list("kind", "old_pagu", "new_pagu"))
    assert history == [("initial", 0, 1000 * K), ("shift", 1000 * K, 1200 * K)]
    assert AuditEvent.objects.filter(action="budget.pagu_revised").count() == 1


def test_pagu_below_what_was_realised_is_rejected(budget):
    with pytest.raises(ApplicationError) as error:
        services.pagu_revise(
            actor=None,
            line=budget.line_a,
            new_pagu=399 * K,
            kind=BudgetRevision.Kind.SHIFT,
            revised_on=dt.date(2026, 6, 1),
            reference="x",
            reason="",
        )
    assert error.value.code == "pagu_below_realised"


def test_saving_a_line_again_with_a_new_pagu_records_an_amendment(budget, units):
    line = make_line(budget.year, units.upt_a, pagu="1500000")
    assert line.pk == budget.line_a.pk
    assert line.pagu == 1500 * K
    assert line.revisions.last().kind == "amendment"


def test_saving_a_line_unchanged_writes_nothing(budget, units):
    before = AuditEvent.objects.count()
    _line, outcome = services.line_save(
        actor=None,
        fiscal_year=budget.year,
        program=("1.06.04", "Program 1.06.04"),
        kegiatan=("1.06.04.1.01", "Kegiatan 1.06.04.1.01"),
        sub_kegiatan=("1.06.04.1.01.0001", "Sub kegiatan 1.06.04.1.01.0001"),
        account_code="5.1.02.01.01.0024",
        account_name="Belanja 5.1.02.01.01.0024",
        unit=units.upt_a,
        pptk_name="Budi Santoso",
        pagu=1000 * K,
    )
    assert outcome == "unchanged"
    assert AuditEvent.objects.count() == before


def test_cash_plan_needs_twelve_months(budget):
    with pytest.raises(ApplicationError):
        services.cash_plan_set(actor=None, line=budget.line_a, amounts=[K] * 11)


def test_cash_plan_that_does_not_add_up_is_accepted_and_audited(budget):
    services.cash_plan_set(actor=None, line=budget.line_a, amounts=[K] * 12)
    assert sum(budget.line_a.cash_plan.values_list("amount", flat=True)) == 12 * K
    assert (
        AuditEvent.objects.filter(
            action="budget.cash_plan_set", target_id=str(budget.line_a.pk)
        ).count()
        == 2
    )


def test_closed_year_refuses_realisations(budget):
    budget.year.status = "closed"
    budget.year.save()
    with pytest.raises(ApplicationError) as error:
        _sp2d(budget)
    assert error.value.code == "year_closed"


def test_milestone_outside_the_year_is_rejected(budget):
    with pytest.raises(ApplicationError):
        services.milestone_save(
            actor=None,
            fiscal_year=budget.year,
            due_on=dt.date(2027, 1, 31),
            target_percent=Decimal("10"),
            source="",
        )


def test_progress_report_keeps_one_value_per_month(budget):
    sub = budget.line_a.sub_kegiatan
    for percent in ("20", "25"):
        services.progress_report(
            actor=None,
            sub_kegiatan=sub,
            unit=budget.line_a.unit,
            month=3,
            percent=Decimal(percent),
            reported_by="PPTK",
        )
    assert list(sub.progress.values_list("month", "percent")) == [(3, Decimal("25"))]
