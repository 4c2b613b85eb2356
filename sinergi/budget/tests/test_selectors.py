import datetime as dt
from decimal import Decimal

import pytest

from sinergi.budget import selectors, services

pytestmark = pytest.mark.django_db
K = Decimal("1000")
D = Decimal


def _by_code(rows):
    return {row.code: row for row in rows}


def test_absorption_per_unit_at_month_end_is_exact(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    rows = _by_code(
        selectors.absorption_by(viewer=head, fiscal_year=budget.year, month=3, group="unit")
    )
    a, b, c = rows["upt-rsbd-pasuruan"], rows["upt-pstw-magetan"], rows["bidang-dayasos"]
    assert (a.pagu, a.realised, a.plan) == (1000 * K, 400 * K, 300 * K)
    assert (a.absorption, a.plan_percent, a.deviation, a.light) == (
        D("40.00"),
        D("30.00"),
        D("-10.00"),
        "green",
    )
    assert (b.absorption, b.absorption_previous, b.change) == (D("30.00"), D("10.00"), D("20.00"))
    assert (c.absorption, c.deviation, c.light) == (D("0.00"), D("30.00"), "red")
    assert c.plan_mismatch is True
    assert a.plan_mismatch is False


def test_office_absorption_and_traffic_light_thresholds(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    office = selectors.office_absorption(viewer=head, fiscal_year=budget.year, month=3)
    assert (office.pagu, office.realised, office.plan) == (4000 * K, 1000 * K, 1200 * K)
    assert (office.absorption, office.deviation, office.achievement) == (
        D("25.00"),
        D("5.00"),
        D("83.33"),
    )
    assert office.light == "amber"  # 5 points behind: the default amber threshold
    budget.year.warning_points = D("6")
    assert selectors.traffic_light(office.deviation, budget.year) == "green"


def test_absorption_counts_only_sp2d_up_to_the_month_end(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    february = selectors.office_absorption(viewer=head, fiscal_year=budget.year, month=2)
    january = selectors.office_absorption(viewer=head, fiscal_year=budget.year, month=1)
    assert (january.realised, february.realised) == (100 * K, 600 * K)
    assert january.realised_previous == 0


def test_absorption_by_program_kegiatan_and_account_class(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    programs = _by_code(
        selectors.absorption_by(viewer=head, fiscal_year=budget.year, month=3, group="program")
    )
    assert {code: row.absorption for code, row in programs.items()} == {
        "1.06.02": D("0.00"),
        "1.06.04": D("33.33"),
    }
    classes = _by_code(
        selectors.absorption_by(
            viewer=head, fiscal_year=budget.year, month=3, group="account_class"
        )
    )
    assert {code: row.realised for code, row in classes.items()} == {
        "5.1.02": 400 * K,
        "5.1.06": 600 * K,
    }
    kegiatan = selectors.absorption_by(
        viewer=head,
        fiscal_year=budget.year,
        month=3,
        group="kegiatan",
        program=budget.line_a.sub_kegiatan.kegiatan.program_id,
    )
    assert [row.code for row in kegiatan] == ["1.06.04.1.01", "1.06.04.1.03"]


def test_a_kpa_sees_only_its_own_unit(budget, make_user, units):
    head_a = make_user("head_of_upt", units.upt_a)
    rows = selectors.absorption_by(viewer=head_a, fiscal_year=budget.year, month=3, group="unit")
    assert [row.code for row in rows] == ["upt-rsbd-pasuruan"]
    office = selectors.office_absorption(viewer=head_a, fiscal_year=budget.year, month=3)
    assert office.absorption == D("40.00")


def test_absorption_takes_a_fixed_number_of_queries(
    budget, make_user, units, django_assert_num_queries
):
    head = make_user("head_of_office", units.office)
    selectors.office_absorption(viewer=head, fiscal_year=budget.year, month=3)  # warm role cache
    for n in range(5):
        services.realisation_create(
            actor=None,
            fiscal_year=budget.year,
            sp2d_number=f"X-{n}",
            paid_on=dt.date(2026, 3, 1),
            sp2d_type="LS",
            allocations={budget.line_c: K},
        )
    # by unit: one grouped query over the summaries and one for the units' names
    with django_assert_num_queries(2):
        selectors.absorption_by(viewer=head, fiscal_year=budget.year, month=3, group="unit")
    # by kegiatan: pagu, cash plan and SP2D from the lines, and the names
    with django_assert_num_queries(4):
        selectors.absorption_by(viewer=head, fiscal_year=budget.year, month=3, group="kegiatan")


def test_league_table_ranks_by_absorption_with_change_since_last_month(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    table = selectors.league_table(viewer=head, fiscal_year=budget.year, month=3)
    assert [(r.rank, r.code, r.absorption, r.change) for r in table] == [
        (1, "upt-rsbd-pasuruan", D("40.00"), D("0.00")),
        (2, "upt-pstw-magetan", D("30.00"), D("20.00")),
        (3, "bidang-dayasos", D("0.00"), D("0.00")),
    ]


def test_league_table_breaks_ties_by_the_smaller_deviation(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    # bring UPT A to 30% too (600.000 of its pagu lowered to 2.000.000 is 30%) -> same as UPT B
    services.pagu_revise(
        actor=None,
        line=budget.line_a,
        new_pagu=D("1333333.33"),
        kind="shift",
        revised_on=dt.date(2026, 3, 1),
        reference="x",
        reason="",
    )
    table = selectors.league_table(viewer=head, fiscal_year=budget.year, month=3)
    a, b = table[0], table[1]
    assert a.absorption == b.absorption == D("30.00")
    assert a.deviation < b.deviation
    assert a.code == "upt-rsbd-pasuruan"


def test_projection_and_units_that_will_miss_the_next_milestone(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    milestone, projections = selectors.unit_projections(
        viewer=head, fiscal_year=budget.year, month=3
    )
    assert (milestone.due_on, milestone.target_percent) == (dt.date(2026, 4, 30), D("50.00"))
    by_code = {p.row.code: p for p in projections}
    b = by_code["upt-pstw-magetan"]  # 600.000 of 2.000.000, pace 200.000 a month
    assert (b.will_miss, b.at_milestone, b.shortfall, b.per_month) == (
        True,
        D("40.00"),
        400 * K,
        200 * K,
    )
    a = by_code["upt-rsbd-pasuruan"]  # 400.000 of 1.000.000, pace 133.333,33
    assert (a.will_miss, a.at_milestone, a.shortfall, a.per_month) == (
        False,
        D("53.33"),
        100 * K,
        50 * K,
    )
    c = by_code["bidang-dayasos"]  # nothing realised; 600.000 of its cash plan still to come
    assert (c.from_plan, c.from_pace, c.will_miss, c.per_month) == (
        D("60.00"),
        D("0.00"),
        True,
        250 * K,
    )
    assert [p.row.code for p in projections][:2] == ["bidang-dayasos", "upt-pstw-magetan"]


def test_s_curve_is_cumulative_percent_per_month(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    curve = selectors.s_curve(viewer=head, fiscal_year=budget.year, until_month=3)
    assert curve["realised"] == [2.5, 15.0, 25.0]
    assert curve["plan"][:3] == [10.0, 20.0, 30.0]
    assert curve["plan"][-1] == 97.5


def test_cash_plan_mismatches_lists_lines_that_do_not_add_up(budget, make_user, units):
    head = make_user("head_of_office", units.office)
    found = list(selectors.cash_plan_mismatches(viewer=head, fiscal_year=budget.year))
    assert found == [budget.line_c]
    assert found[0].plan_total == 900 * K


def test_provincial_ranking_places_the_office_among_all(budget):
    for name, pagu, realised, own in [
        ("Dinas A", 100, 80, False),
        ("Dinas Sosial", 100, 46, True),
        ("Dinas B", 100, 60, False),
    ]:
        services.provincial_office_save(
            actor=None,
            fiscal_year=budget.year,
            month=7,
            office_name=name,
            pagu=D(pagu),
            realisation=D(realised),
            is_own_office=own,
        )
    ranking = selectors.provincial_ranking(fiscal_year=budget.year, month=8)
    assert (ranking.month, ranking.rank, ranking.total) == (7, 3, 3)
    assert ranking.own.absorption == D("46.00")
    assert selectors.provincial_ranking(fiscal_year=budget.year, month=6).rank is None


def test_line_months_gives_plan_and_realised_with_cumulative_totals(budget):
    months = selectors.line_months(budget.line_a)
    assert [m["realised_cumulative"] for m in months[:3]] == [100 * K, 400 * K, 400 * K]
    assert months[1]["absorption"] == D("40.00")
