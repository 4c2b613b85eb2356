"""P5 for staff (issue 5): the employee list and the late list at 1,400 employees (`--rows` below
10,000) or 14,000 (`--rows` 10,000 or more), 50 rows a page by keyset (bench.generate_staff).

Reference: bench/pages.py's plain-SQL keyset list of `staff_employee` by name with a minimal
template. The page cursors of both lists are employee ids (no name in an address), so the last
pages load by GET like the first ones.

- employee list, first page, HR (every employee): >= 0.70 of the reference, p99 <= 50 ms at 16
  users, no COUNT over a table above 100k rows; its last page within 10% of the first;
- late and missing list of June, first page, HR: >= 0.70 of the reference, p99 <= 50 ms at 16
  users, no big COUNT; its last page within 10% of the first.

    python -m bench.run --only P5 --rows 1400 --runs 1
"""

from typing import Any

from bench import pages
from bench.generate_staff import YEAR, ensure_staff
from bench.p1_csv_import import Result
from bench.p4_staff_compliance import MONTH, employees_for

COLUMNS = ["id", "nip", "name", "position", "unit_id"]


def _last_cursor(queryset: Any, ordering: tuple[str, ...], size: int = 50) -> str:
    """The id cursor that opens the list's last page (the row before the last `size`)."""
    reverse = [f"-{f}" for f in ordering]
    row = queryset.order_by(*reverse).values_list("pk", flat=True)[size : size + 1]
    return str(row[0]) if row else ""


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    from sinergi.staff import selectors

    employees = employees_for(rows)
    ensure_staff(employees=employees, log=log)
    tree = pages.units()
    hr_user = pages.bench_user("hr_officer", tree.secretariat)
    hr = pages.session_cookie(hr_user)
    reference = pages.reference_list("staff_employee", COLUMNS, ["name", "id"])
    people = "/pegawai/"
    people_last = (
        people
        + "?cursor="
        + _last_cursor(
            selectors.employee_search(viewer=hr_user, filters=selectors.EmployeeFilters()),
            selectors.EMPLOYEE_ORDERING,
        )
    )
    late = f"/pegawai/kepatuhan/terlambat/?tahun={YEAR}&bulan={MONTH}"
    late_last = (
        late
        + "&cursor="
        + _last_cursor(
            selectors.late_list(viewer=hr_user, year=YEAR, month=MONTH),
            selectors.LATE_ORDERING,
        )
    )
    results: list[Result] = []
    with pages.serve() as server:
        for title, first, last in (
            (f"employee list ({employees:,} employees)", people, people_last),
            (f"late and missing list, {MONTH}/{YEAR}", late, late_last),
        ):
            results += pages.compare(
                server,
                code="P5",
                title=f"{title}, first page",
                reference=reference,
                measured=first,
                cookie=hr,
                users=16,
                runs=runs,
                min_ratio=0.70,
                max_p99_ms=50,
                forbid_big_count=True,
                reference_label="keyset SQL list (req/s)",
                measured_label="first page (req/s)",
                log=log,
            )
            results += pages.compare(
                server,
                code="P5",
                title=f"{title}, last page vs first",
                reference=first,
                measured=last,
                cookie=hr,
                users=16,
                runs=runs,
                min_ratio=0.90,
                forbid_big_count=True,
                reference_label="first page (req/s)",
                measured_label="last page (req/s)",
                log=log,
            )
    return results
