"""P5 for the budget (issue 4): the SP2D list at 500k SP2D, 50 rows a page by keyset.

Data: bench.p4_budget_data. Reference: bench/pages.py's plain-SQL keyset list over the same table
(budget_realisation, the same columns and order, filtered by year) with a minimal template.

- SP2D list, first page, head of office: >= 0.70 of the reference, p99 <= 50 ms at 16 users, no
  COUNT over a table above 100k rows in the request;
- the last page within 10% of the first (ratio last / first >= 0.90);
- the list of a UPT's head (scoped to the SP2D charging its lines): p99 <= 50 ms at 16 users.

`rows` sets the SP2D count when below 500,000, as in bench.p4_budget_dashboards.
"""

from typing import Any

from bench import pages
from bench.p1_csv_import import Result
from bench.p4_budget_dashboards import scale
from bench.p4_budget_data import ensure_budget

COLUMNS = ["sp2d_number", "paid_on", "sp2d_type", "amount", "description"]
ORDER = ["paid_on", "id"]


def _last_cursor(fiscal_year: Any, size: int = 50) -> str:
    """The cursor that opens the list's last page (the key of the row before the last 50)."""
    from sinergi.budget.models import Realisation
    from sinergi.core.pagination import encode_cursor

    row = (
        Realisation.objects.filter(fiscal_year=fiscal_year)
        .order_by("paid_on", "id")
        .values_list("paid_on", "id")[size]
    )
    return encode_cursor(list(row))


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    from sinergi.organisation.models import Unit

    lines, sp2d = scale(rows)
    data = ensure_budget(lines=lines, sp2d=sp2d, log=log)
    fiscal_year = data["year"]
    tree = pages.units()
    head = pages.session_cookie(pages.bench_user("head_of_office", tree.office))
    kpa = pages.session_cookie(
        pages.bench_user("head_of_upt", Unit.objects.get(code="bench-upt-03"))
    )
    first = f"/anggaran/sp2d/?tahun={fiscal_year.year}"
    last = f"{first}&cursor={_last_cursor(fiscal_year)}"
    reference = pages.reference_list(
        "budget_realisation", COLUMNS, ORDER, desc=True, eq={"fiscal_year_id": fiscal_year.pk}
    )
    results: list[Result] = []
    with pages.serve() as server:
        results += pages.compare(
            server,
            code="P5",
            title=f"SP2D list, first page ({sp2d:,} SP2D)",
            reference=reference,
            measured=first,
            cookie=head,
            users=16,
            runs=runs,
            min_ratio=0.70,
            max_p99_ms=50,
            forbid_big_count=True,
            reference_label="keyset SQL list (req/s)",
            measured_label="SP2D list (req/s)",
            log=log,
        )
        results += pages.compare(
            server,
            code="P5",
            title="SP2D list, last page vs first",
            reference=first,
            measured=last,
            cookie=head,
            users=16,
            runs=runs,
            min_ratio=0.90,
            forbid_big_count=True,
            reference_label="first page (req/s)",
            measured_label="last page (req/s)",
            log=log,
        )
        results += pages.compare(
            server,
            code="P5",
            title="SP2D list of a UPT head (scoped)",
            reference=reference,
            measured=first,
            cookie=kpa,
            reference_cookie=head,
            users=16,
            runs=runs,
            max_p99_ms=50,
            forbid_big_count=True,
            reference_label="keyset SQL list (req/s)",
            measured_label="scoped SP2D list (req/s)",
            log=log,
        )
    return results
