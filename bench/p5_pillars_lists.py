"""P5 for the pillars (issue 6): the member list at 100k members, 50 rows a page by keyset.

Data: bench.generate_pillars. Reference: bench/pages.py's plain-SQL keyset list over the same table
(pillars_member, ordered by name and id) with a minimal template.

- member list, first page, the pillar officer: >= 0.70 of the reference, p99 <= 50 ms at 16
  users, no COUNT over a table above 100k rows in the request;
- the last page within 10% of the first (ratio last / first >= 0.90);
- a batch of the quarterly aid (one entitlement per member) as the finance officer sees it: the
  totals per type and regency (read from the batch summary) and the first 50 entitlements, >= 0.70
  of the keyset reference over pillars_entitlement filtered by the batch, no COUNT over a table
  above 100k rows.
"""

from typing import Any

from bench import pages
from bench.generate_pillars import clear_cycles, ensure_pillars
from bench.p1_csv_import import Result

COLUMNS = ["id", "name", "nik", "regency_id", "district_id", "status", "account_number"]
ORDER = ["name", "id"]
ENTITLEMENT_COLUMNS = [
    "id",
    "member_id",
    "pillar_type_id",
    "regency_id",
    "account_number",
    "amount",
]


def _last_cursor(size: int = 50) -> str:
    """The cursor that opens the list's last page: the id of the row before the last 50 (the
    member list's cursors name a row by its id only, never by a member's name)."""
    from sinergi.pillars.models import Member

    return str(Member.objects.order_by("-name", "-id").values_list("id", flat=True)[size])


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    members = min(rows, 100_000)
    data = ensure_pillars(members, log=log)
    officer = pages.session_cookie(pages.bench_user("pillar_officer", data["unit"], "bench.pilar"))
    first = "/pilar/"
    last = f"/pilar/?cursor={_last_cursor()}"
    reference = pages.reference_list("pillars_member", COLUMNS, ORDER)
    batch = _batch(data)
    finance = pages.session_cookie(
        pages.bench_user("finance_officer", data["tree"].secretariat, "bench.keuangan")
    )
    batch_reference = pages.reference_list(
        "pillars_entitlement", ENTITLEMENT_COLUMNS, ["id"], eq={"batch_id": batch.pk}
    )
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
        results += pages.compare(
            server,
            code="P5",
            title=f"quarterly aid batch page ({batch.entitlement_count:,} entitlements)",
            reference=batch_reference,
            measured=f"/pilar/batch/{batch.pk}/",
            cookie=finance,
            users=16,
            runs=runs,
            min_ratio=0.70,
            max_p99_ms=50,
            forbid_big_count=True,
            reference_label="keyset SQL list (req/s)",
            measured_label="batch page (req/s)",
            log=log,
        )
    clear_cycles(data["scheme"])
    return results


def _batch(data: dict[str, Any]) -> Any:
    """A generated quarter (batch 1 under review) of every bench member, made outside the clock."""
    from sinergi.pillars import services

    maker = pages.bench_user("pillar_officer", data["unit"], "bench.pilar")
    cycle = services.cycle_generate(
        actor=maker, scheme=data["scheme"], year=2025, quarter=3, unit=data["unit"]
    )
    return cycle.batches.get(number=1)
