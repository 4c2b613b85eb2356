"""P4 for staff (issue 5): the SKP compliance dashboard at 1,400 employees x 12 months x 5 RHK
(`--rows` below 10,000) or at ten times that (`--rows` 10,000 or more: 14,000 employees).

Data: bench.generate_staff (set-based). The page reads the compliance summaries
(sinergi/staff/models/summary.py) that every write keeps up to date.

- office-wide compliance page (`/pegawai/kepatuhan/`, head of office): p95 <= 50 ms at 16 users;
- the same page of a UPT's head (unit-scoped): p95 <= 15 ms at 2 users; both beside the
  small-template reference;
- ORM aggregate <= 1.2x the raw SQL, twice: the per-unit figures of a month the summaries are
  rebuilt from (`selectors.compliance_figures`: one GROUP BY over the employees who owe the month
  with their submission joined) against the same statement in plain SQL, and the page's own read
  of the month's summary rows (`selectors.compliance_by_unit`) against plain SQL.

    python -m bench.run --only P4 --rows 1400 --runs 1
"""

from typing import Any

from bench import pages
from bench.generate_staff import YEAR, ensure_staff
from bench.p1_csv_import import Result

MONTH = 6


def employees_for(rows: int) -> int:
    return 14_000 if rows >= 10_000 else 1_400


RAW_SQL = """
SELECT e.unit_id, COUNT(*),
       COUNT(s.id) FILTER (WHERE s.on_time), COUNT(s.id) FILTER (WHERE NOT s.on_time)
FROM staff_employee e
LEFT JOIN staff_monthlysubmission s
       ON s.employee_id = e.id AND s.year = %s AND s.month = %s AND s.status = 'submitted'
WHERE e.employment_type IN ('pns', 'pppk')
  AND e.active_from <= %s AND (e.active_until IS NULL OR e.active_until >= %s)
GROUP BY e.unit_id
"""

# What the dashboard reads for the whole office: the month's summary row of every unit.
SUMMARY_SQL = """
SELECT s.unit_id, COALESCE(NULLIF(u.short_name, ''), u.name), s.expected, s.on_time, s.late
FROM staff_compliancesummary s JOIN organisation_unit u ON u.id = s.unit_id
WHERE s.year = %s AND s.month = %s
"""


def _aggregate(employees: int, runs: int, log: Any) -> list[Result]:
    import datetime as dt

    from sinergi.staff import selectors

    def figures() -> list[tuple[Any, ...]]:
        return [
            (unit, *f)
            for (_month, unit), f in selectors.compliance_figures(YEAR, months=[MONTH]).items()
        ]

    def summaries() -> list[tuple[Any, ...]]:
        return [
            (r.key, r.label, r.expected, r.on_time, r.late)
            for r in selectors.compliance_by_unit(viewer=head_user, year=YEAR, month=MONTH)
        ]

    head_user = pages.bench_user("head_of_office", pages.units().office)
    return [
        pages.compare_aggregate(
            code="P4",
            title=f"compliance per unit from employees and submissions ({employees:,} employees)",
            sql=RAW_SQL,
            params=[YEAR, MONTH, dt.date(YEAR, MONTH, 30), dt.date(YEAR, MONTH, 1)],
            orm=figures,
            rows=employees,
            runs=runs,
            log=log,
        ),
        pages.compare_aggregate(
            code="P4",
            title=f"compliance page's read of the summaries ({employees:,} employees)",
            sql=SUMMARY_SQL,
            params=[YEAR, MONTH],
            orm=summaries,
            rows=employees,
            runs=runs,
            log=log,
        ),
    ]


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    from sinergi.organisation.models import Unit

    employees = employees_for(rows)
    ensure_staff(employees=employees, log=log)
    tree = pages.units()
    head = pages.session_cookie(pages.bench_user("head_of_office", tree.office))
    upt = Unit.objects.get(code="bench-upt-03")
    kepala = pages.session_cookie(pages.bench_user("head_of_upt", upt))
    path = f"/pegawai/kepatuhan/?tahun={YEAR}&bulan={MONTH}"
    results: list[Result] = []
    with pages.serve() as server:
        results += pages.compare(
            server,
            code="P4",
            title=f"SKP compliance, whole office ({employees:,} employees)",
            reference=pages.REFERENCE_SMALL,
            measured=path,
            cookie=head,
            users=16,
            runs=runs,
            max_p95_ms=50,
            reference_label="small template (req/s)",
            measured_label="compliance page (req/s)",
            log=log,
        )
        results += pages.compare(
            server,
            code="P4",
            title="SKP compliance of a UPT head (unit-scoped)",
            reference=pages.REFERENCE_SMALL,
            measured=path,
            cookie=kepala,
            users=2,
            runs=runs,
            max_p95_ms=15,
            reference_label="small template (req/s)",
            measured_label="unit compliance page (req/s)",
            log=log,
        )
    results += _aggregate(employees, max(runs, 3), log)
    return results
