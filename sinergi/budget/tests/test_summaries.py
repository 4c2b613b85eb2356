"""Absorption summaries: always equal to the figures computed from the lines, kept fresh by every
write, and a closed fiscal year refuses every entry."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.budget import selectors, services
from sinergi.budget.models import (
    AbsorptionSummary,
    BudgetRevision,
    FiscalYear,
    Milestone,
    PhysicalProgress,
    Realisation,
)
from sinergi.budget.selectors import absorption
from sinergi.budget.testing import make_line
from sinergi.core.errors import ApplicationError

pytestmark = pytest.mark.django_db
K = Decimal("1000")


def _figures(rows):
    return {
        row.key: (
            row.pagu,
            row.plan,
            row.plan_previous,
            row.plan_year,
            row.realised,
            row.realised_previous,
        )
        for row in rows.values()
    }


def _assert_summaries_match_lines(viewer, year, **filters):
    for group in ("unit", "program", "all"):
        for month in range(1, 13):
            from_lines = absorption._absorption_from_lines(
                viewer=viewer, fiscal_year=year, month=month, group=group, **filters
            )
            from_summaries = absorption._absorption_from_summaries(
                viewer=viewer, fiscal_year=year, month=month, group=group, **filters
            )
            assert _figures(from_summaries) == _figures(from_lines), (group, month)


def test_summaries_equal_the_figures_from_the_lines(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    kpa = make_user("head_of_upt", units.upt_a)
    _assert_summaries_match_lines(head, budget.year)
    _assert_summaries_match_lines(kpa, budget.year)
    _assert_summaries_match_lines(head, budget.year, unit=units.upt_b.pk)
    _assert_summaries_match_lines(
        head, budget.year, program=budget.line_c.sub_kegiatan.kegiatan.program_id
    )


def test_every_write_refreshes_the_summaries(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    services.realisation_create(
        actor=None,
        fiscal_year=budget.year,
        sp2d_number="SP2D-900",
        paid_on=dt.date(2026, 5, 2),
        sp2d_type="LS",
        allocations={budget.line_a: 50 * K, budget.line_c: 70 * K},
    )
    services.pagu_revise(
        actor=None,
        line=budget.line_b,
        new_pagu=3000 * K,
        kind=BudgetRevision.Kind.SHIFT,
        revised_on=dt.date(2026, 6, 1),
        reference="SK",
        reason="",
    )
    services.cash_plan_set(actor=None, line=budget.line_c, amounts=[100 * K] * 10 + [0, 0])
    make_line(budget.year, units.upt_b, sub="1.06.04.1.01.0002", account="5.1.02.01.01.0099")
    _assert_summaries_match_lines(head, budget.year)
    office = selectors.office_absorption(viewer=head, fiscal_year=budget.year, month=5)
    assert (office.pagu, office.realised) == (6000 * K, 1120 * K)
    # line_c's plan now adds up; line_b's pagu moved away from its plan; the new line has none
    assert selectors.mismatch_count(viewer=head, fiscal_year=budget.year) == 2
    assert set(selectors.cash_plan_mismatches(viewer=head, fiscal_year=budget.year)) == {
        budget.line_b,
        budget.year.budgetline_set.get(account_code="5.1.02.01.01.0099"),
    }


def test_deferred_refresh_runs_once_at_the_end(budget, django_assert_max_num_queries):
    AbsorptionSummary.objects.all().delete()
    with services.summaries_deferred():
        services.cash_plan_set(actor=None, line=budget.line_a, amounts=[0] * 11 + [1000 * K])
        services.cash_plan_set(actor=None, line=budget.line_b, amounts=[0] * 11 + [2000 * K])
        assert not AbsorptionSummary.objects.exists()  # not yet
    assert AbsorptionSummary.objects.filter(unit=budget.line_a.unit, month=12).get().plan == (
        1000 * K
    )
    # only the units written to were rebuilt
    assert not AbsorptionSummary.objects.filter(unit=budget.line_c.unit).exists()


def test_rebuild_writes_every_year_and_is_idempotent(budget):
    first = services.summaries_rebuild()
    assert first == AbsorptionSummary.objects.count() > 0
    assert services.summaries_rebuild(fiscal_year=budget.year) == first
    assert AbsorptionSummary.objects.count() == first


def test_office_figures_by_month_zero_hold_the_year(budget):
    year_rows = AbsorptionSummary.objects.filter(fiscal_year=budget.year, month=0)
    assert sum(r.pagu for r in year_rows) == 4000 * K
    assert sum(r.lines for r in year_rows) == 3
    assert sum(r.mismatched_lines for r in year_rows) == 1


# --- Closed fiscal year --------------------------------------------------------------------------


def _close(year):
    return services.fiscal_year_set_status(actor=None, fiscal_year=year, status="closed")


def test_closing_a_year_is_audited_and_reopening_too(budget):
    closed = _close(budget.year)
    assert closed.status == FiscalYear.Status.CLOSED
    services.fiscal_year_set_status(actor=None, fiscal_year=closed, status="open")
    changes = list(
        AuditEvent.objects.filter(
            action="budget.fiscal_year_saved", target_id=str(budget.year.pk)
        ).values_list("changes", flat=True)
    )
    assert {"status": ["open", "closed"]} in changes
    assert {"status": ["closed", "open"]} in changes


def test_closing_an_already_closed_year_changes_nothing(budget):
    _close(budget.year)
    before = AuditEvent.objects.count()
    _close(budget.year)
    assert AuditEvent.objects.count() == before


def test_an_unknown_status_is_refused(budget):
    with pytest.raises(ApplicationError):
        services.fiscal_year_set_status(actor=None, fiscal_year=budget.year, status="archived")
    budget.year.refresh_from_db()
    assert budget.year.status == "open"


@pytest.mark.parametrize(
    "write",
    [
        lambda b: services.realisation_create(
            actor=None,
            fiscal_year=b.year,
            sp2d_number="SP2D-CLOSED",
            paid_on=dt.date(2026, 5, 2),
            sp2d_type="LS",
            allocations={b.line_a: 10 * K},
        ),
        lambda b: services.pagu_revise(
            actor=None,
            line=b.line_a,
            new_pagu=2000 * K,
            kind="shift",
            revised_on=dt.date(2026, 5, 2),
            reference="",
            reason="",
        ),
        lambda b: services.progress_report(
            actor=None,
            sub_kegiatan=b.line_a.sub_kegiatan,
            unit=b.line_a.unit,
            month=5,
            percent=Decimal("40"),
            reported_by="PPTK",
        ),
        lambda b: services.milestone_save(
            actor=None,
            fiscal_year=b.year,
            due_on=dt.date(2026, 10, 31),
            target_percent=Decimal("80"),
            source="",
        ),
        lambda b: services.cash_plan_set(actor=None, line=b.line_a, amounts=[0] * 12),
    ],
    ids=["realisation", "revision", "progress", "milestone", "cash_plan"],
)
def test_a_closed_year_refuses_every_entry_with_a_clear_message(budget, write):
    _close(budget.year)
    budget.line_a.refresh_from_db()
    counts = (
        Realisation.objects.count(),
        BudgetRevision.objects.count(),
        PhysicalProgress.objects.count(),
        Milestone.objects.count(),
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as error:
        write(budget)
    assert error.value.code == "year_closed"
    assert "2026" in error.value.message
    assert "ditutup" in error.value.message  # Indonesian: "Tahun anggaran 2026 sudah ditutup..."
    assert counts == (
        Realisation.objects.count(),
        BudgetRevision.objects.count(),
        PhysicalProgress.objects.count(),
        Milestone.objects.count(),
    )
    assert AuditEvent.objects.count() == events


def test_the_command_rebuilds_lost_summaries(budget, make_user, units):
    from io import StringIO

    from django.core.management import CommandError, call_command

    AbsorptionSummary.objects.all().delete()
    out = StringIO()
    call_command("budget_summaries", "--year", "2026", stdout=out)
    assert f"{AbsorptionSummary.objects.count()} summary rows written" in out.getvalue()
    head = make_user("head_of_office", units.office)
    _assert_summaries_match_lines(head, budget.year)
    with pytest.raises(CommandError):
        call_command("budget_summaries", "--year", "1999")
