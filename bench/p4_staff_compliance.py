"""P4 for staff (issue 5): the SKP compliance dashboard at 1,400 employees x 12 months x 5 RHK
(`--rows` below 10,000) or at ten times that (`--rows` 10,000 or more: 14,000 employees).

Data: bench.generate_staff (set-based). The page reads the compliance summaries
(sinergi/staff/models/summary.py) that every write keeps up to date.

- office-wide compliance page (`/pegawai/kepatuhan/`, head of office): p95 <= 50 ms at 16 users;
- the same page of a UPT's head (unit-scoped): p95 <= 15 ms at 2 users; both beside the
  small-template reference;
- ORM aggregate <= 1.2x the raw SQL: the per-unit, per-month figures the summaries are rebuilt
  from (`services.compliance_figures`), against the same GROUP BY in plain SQL.

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
SELECT COALESCE(x.unit_id, y.unit_id), COALESCE(x.n, 0), COALESCE(y.on_time, 0),
       COALESCE(y.late, 0)
FROM (
    SELECT unit_id, COUNT(id) FILTER (WHERE active_from <= %s AND (active_until IS NULL OR
           active_until >= %s)) AS n
    FROM staff_employee WHERE employment_type IN ('pns', 'pppk') GROUP BY unit_id
) x
FULL JOIN (
    SELECT e.unit_id, COUNT(s.id) FILTER (WHERE s.on_time) AS on_time,
           COUNT(s.id) FILTER (WHERE NOT s.on_time) AS late
    FROM staff_monthlysubmission s JOIN staff_employee e ON e.id = s.employee_id
    WHERE s.year = %s AND s.month = %s AND s.status = 'submitted' GROUP BY e.unit_id
) y ON y.unit_id = x.unit_id
WHERE COALESCE(x.n, 0) > 0 OR y.unit_id IS NOT NULL
"""


def _aggregate(employees: int, runs: int, log: Any) -> Result:
    import datetime as dt

    from sinergi.staff.services import compliance_figures

    def orm() -> list[tuple[Any, ...]]:
        return [
            (unit, *f) for (_month, unit), f in compliance_figures(YEAR, months=[MONTH]).items()
        ]

    return pages.compare_aggregate(
        code="P4",
        title=f"compliance per unit from employees and submissions ({employees:,} employees)",
        sql=RAW_SQL,
        params=[dt.date(YEAR, MONTH, 30), dt.date(YEAR, MONTH, 1), YEAR, MONTH],
        orm=orm,
        rows=employees,
        runs=runs,
        log=log,
    )


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
    results.append(_aggregate(employees, max(runs, 3), log))
    return results
