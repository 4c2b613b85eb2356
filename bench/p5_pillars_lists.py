"""P5 for the pillars (issue 6): the member list at 100k members, 50 rows a page by keyset.

Data: bench.generate_pillars. Reference: bench/pages.py's plain-SQL keyset list over the same table
(pillars_member, ordered by name and id) with a minimal template.

- member list, first page, the pillar officer: >= 0.70 of the reference, p99 <= 50 ms at 16
  users, no COUNT over a table above 100k rows in the request;
- the last page within 10% of the first (ratio last / first >= 0.90).
"""

from typing import Any

from bench import pages
from bench.generate_pillars import ensure_pillars
from bench.p1_csv_import import Result

COLUMNS = ["id", "name", "nik", "regency_id", "district_id", "status", "account_number"]
ORDER = ["name", "id"]


def _last_cursor(size: int = 50) -> str:
    """The cursor that opens the list's last page (the key of the row before the last 50)."""
    from sinergi.core.pagination import encode_cursor
    from sinergi.pillars.models import Member

    row = Member.objects.order_by("-name", "-id").values_list("name", "id")[size]
    return encode_cursor(list(row))


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    members = min(rows, 100_000)
    data = ensure_pillars(members, log=log)
    officer = pages.session_cookie(pages.bench_user("pillar_officer", data["unit"], "bench.pilar"))
    first = "/pilar/"
    last = f"/pilar/?cursor={_last_cursor()}"
    reference = pages.reference_list("pillars_member", COLUMNS, ORDER)
    results: list[Result] = []
    with pages.serve() as server:
        results += pages.compare(
            server,
            code="P5",
            title=f"pillar member list, first page ({members:,} members)",
            reference=reference,
            measured=first,
            cookie=officer,
            users=16,
            runs=runs,
            min_ratio=0.70,
            max_p99_ms=50,
            forbid_big_count=True,
            reference_label="keyset SQL list (req/s)",
            measured_label="member list (req/s)",
            log=log,
        )
        results += pages.compare(
            server,
            code="P5",
            title="pillar member list, last page vs first",
            reference=first,
            measured=last,
            cookie=officer,
            users=16,
            runs=runs,
            min_ratio=0.90,
            forbid_big_count=True,
            reference_label="first page (req/s)",
            measured_label="last page (req/s)",
            log=log,
        )
    return results
