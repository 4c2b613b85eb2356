"""P4 for the budget (issue 4): dashboards at 20k lines, 240k cash-plan cells and 500k SP2D.

Data: bench.p4_budget_data (generated once, set-based). The pages read the absorption summaries
(sinergi/budget/models/summary.py) that every write keeps up to date, so their cost does not grow
with the SP2D.

- office dashboard (`/anggaran/`, head of office, province-wide): p95 <= 50 ms at 16 users;
- absorption per unit (`/anggaran/rincian/`, the league of units, head of office): p95 <= 50 ms at
  16 users;
- unit dashboard (`/anggaran/unit/<id>/`, head of a UPT, unit-scoped): p95 <= 15 ms at 2 users;
  each beside the small-template reference (bench/pages.py), whose figures the rows show;
- ORM aggregate <= 1.2x the raw SQL: the per-unit absorption the summaries are rebuilt from (every
  SP2D up to the month, grouped by unit) and the league read from the summaries.

`rows` (bench.run --rows) sets the SP2D count when below 500,000 (lines = SP2D / 25), to try it at
a small scale: `python -m bench.run --only P4 --rows 50000 --runs 1`.
"""

from typing import Any

from bench import pages
from bench.p1_csv_import import Result
from bench.p4_budget_data import ensure_budget

SP2D = 500_000
LINES = 20_000


def scale(rows: int) -> tuple[int, int]:
    sp2d = min(rows, SP2D)
    return max(sp2d // 25, 100), sp2d


def _aggregates(fiscal_year: Any, month: int, rows: int, runs: int, log: Any) -> list[Result]:
    from django.db.models import Case, F, Sum, When

    from sinergi.budget import selectors
    from sinergi.budget.models import AbsorptionSummary, RealisationAllocation
    from sinergi.budget.selectors.figures import ZERO, month_end

    end = month_end(fiscal_year.year, month)
    raw_lines = (
        "SELECT l.unit_id, SUM(a.amount), SUM(CASE WHEN a.paid_on <= %s THEN a.amount ELSE 0 END) "
        "FROM budget_realisationallocation a JOIN budget_budgetline l ON l.id = a.line_id "
        "WHERE l.fiscal_year_id = %s AND a.paid_on <= %s GROUP BY l.unit_id"
    )
    previous = month_end(fiscal_year.year, month - 1)

    def orm_lines() -> list[Any]:
        return list(
            RealisationAllocation.objects.filter(line__fiscal_year=fiscal_year, paid_on__lte=end)
            .values_list("line__unit_id")
            .annotate(
                realised=Sum("amount"),
                previous=Sum(Case(When(paid_on__lte=previous, then=F("amount")), default=ZERO)),
            )
            .order_by()
        )

    # The league of units as the dashboard reads it (selectors.summary_figures): one row per unit
    # with the pagu (month 0) and the cash plan and SP2D to the month and to the month before.
    raw_summary = (
        "SELECT unit_id, SUM(pagu) FILTER (WHERE month = 0), "
        "SUM(plan) FILTER (WHERE month >= 1 AND month <= %s), "
        "SUM(plan) FILTER (WHERE month >= 1 AND month <= %s), "
        "SUM(plan) FILTER (WHERE month >= 1), "
        "SUM(realised) FILTER (WHERE month >= 1 AND month <= %s), "
        "SUM(realised) FILTER (WHERE month >= 1 AND month <= %s) "
        "FROM budget_absorptionsummary WHERE fiscal_year_id = %s GROUP BY unit_id"
    )

    def orm_summary() -> list[Any]:
        return list(
            selectors.summary_figures(
                viewer=selectors.SYSTEM, fiscal_year=fiscal_year, month=month, group="unit"
            ).values_list(
                "unit_id",
                "pagu_total",
                "plan_to_month",
                "plan_to_previous",
                "plan_of_year",
                "realised_to_month",
                "realised_to_previous",
            )
        )

    return [
        pages.compare_aggregate(
            code="P4",
            title="SP2D realised per unit (what the summaries are built from)",
            sql=raw_lines,
            params=[previous, fiscal_year.pk, end],
            orm=orm_lines,
            rows=rows,
            runs=runs,
            log=log,
        ),
        pages.compare_aggregate(
            code="P4",
            title="league of units from the summaries",
            sql=raw_summary,
            params=[month, month - 1, month, month - 1, fiscal_year.pk],
            orm=orm_summary,
            rows=AbsorptionSummary.objects.filter(fiscal_year=fiscal_year).count(),
            runs=runs,
            log=log,
        ),
    ]


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    from sinergi.organisation.models import Unit

    lines, sp2d = scale(rows)
    data = ensure_budget(lines=lines, sp2d=sp2d, log=log)
    fiscal_year = data["year"]
    tree = pages.units()
    head = pages.session_cookie(pages.bench_user("head_of_office", tree.office))
    upt = Unit.objects.get(code="bench-upt-03")
    kpa = pages.session_cookie(pages.bench_user("head_of_upt", upt))
    query = f"?tahun={fiscal_year.year}&bulan=8"
    results: list[Result] = []
    with pages.serve() as server:
        results += pages.compare(
            server,
            code="P4",
            title=f"office dashboard ({sp2d:,} SP2D)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/anggaran/{query}",
            cookie=head,
            users=16,
            runs=runs,
            max_p95_ms=50,
            reference_label="small template (req/s)",
            measured_label="office dashboard (req/s)",
            log=log,
        )
        results += pages.compare(
            server,
            code="P4",
            title="absorption per unit (league of units)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/anggaran/rincian/{query}",
            cookie=head,
            users=16,
            runs=runs,
            max_p95_ms=50,
            reference_label="small template (req/s)",
            measured_label="rincian per unit (req/s)",
            log=log,
        )
        results += pages.compare(
            server,
            code="P4",
            title="unit dashboard of a UPT (unit-scoped)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/anggaran/unit/{upt.pk}/{query}",
            cookie=kpa,
            users=2,
            runs=runs,
            max_p95_ms=15,
            reference_label="small template (req/s)",
            measured_label="unit dashboard (req/s)",
            log=log,
        )
    results += _aggregates(fiscal_year, 8, sp2d, max(runs, 3), log)
    return results
