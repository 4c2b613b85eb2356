"""P9: a quarter of 100k pillar entitlements generated and approved set-based in <= 2x the time of
the equivalent single INSERT ... SELECT (ratio = reference seconds / measured seconds >= 0.50).

Data: bench.generate_pillars (100k members, all eligible; scheme `bench-bop` with three rates).

- reference: one hand-written `INSERT INTO pillars_entitlement ... SELECT` of the same rows (the
  same eligibility filter: active, ready account, serving in the quarter, managed in the unit's
  subtree, the rate joined from a VALUES list), into a cycle and batch made before the clock starts;
- measured: `services.cycle_generate` (cycle, batch, the INSERT ... SELECT, batch totals, audit)
  by a pillar officer, then `services.batch_approve` by a finance officer. Approving only flips the
  batch row (entitlements stay "pending" in an approved batch, one row written, never 100k): it is
  timed together with the generation, honestly, not left out.

Every run removes the previous cycle first (outside the clock) and checks both sides wrote the same
number of entitlements.
"""

import time
from typing import Any

from django.db import connection, transaction

from bench import pages
from bench.generate_pillars import clear_cycles, ensure_pillars
from bench.p1_csv_import import Result

BUDGET = 0.50
YEAR, QUARTER = 2025, 1

REFERENCE_SQL = """
INSERT INTO pillars_entitlement (cycle_id, batch_id, member_id, scheme_id, year, quarter,
    pillar_type_id, role, regency_id, rate_id, amount, bank_id, account_number, account_holder,
    status, attempt, failure_reason, created_at, updated_at)
SELECT %(cycle)s, %(batch)s, m.id, %(scheme)s, %(year)s, %(quarter)s, m.pillar_type_id, m.role,
    m.regency_id, r.rate_id, r.amount, m.bank_id, m.account_number, m.account_holder, 'pending', 1,
    '', now(), now()
FROM pillars_member m
JOIN (VALUES {values}) AS r(type_id, role, rate_id, amount)
    ON r.type_id = m.pillar_type_id AND r.role = m.role
JOIN organisation_unit u ON u.id = m.unit_id
WHERE m.status = 'active' AND m.account_ready AND m.active_from <= %(end)s
  AND (m.active_until IS NULL OR m.active_until >= %(start)s) AND u.path LIKE %(path)s
"""


def _reference(scheme: Any, unit: Any, maker: Any) -> tuple[float, int]:
    from sinergi.pillars.models import Batch, Cycle, quarter_end, quarter_start, rates_in_force

    start, end = quarter_start(YEAR, QUARTER), quarter_end(YEAR, QUARTER)
    rates = rates_in_force(scheme.pk, start)
    values = ", ".join(
        f"({int(t)}, '{role}', {int(rate.pk)}, {rate.amount}::numeric)"
        for (t, role), rate in sorted(rates.items())
    )
    with transaction.atomic():
        cycle = Cycle.objects.create(
            scheme=scheme, year=YEAR, quarter=QUARTER, unit=unit, created_by=maker
        )
        batch = Batch.objects.create(cycle=cycle, number=1, created_by=maker)
    params = {"cycle": cycle.pk, "batch": batch.pk, "scheme": scheme.pk, "year": YEAR,
              "quarter": QUARTER, "start": start, "end": end, "path": f"{unit.path}%"}  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL.format(values=values), params)
        count = cursor.rowcount
    return time.perf_counter() - started, count


def _measured(scheme: Any, unit: Any, maker: Any, checker: Any) -> tuple[float, int]:
    from sinergi.pillars import services

    started = time.perf_counter()
    cycle = services.cycle_generate(
        actor=maker, scheme=scheme, year=YEAR, quarter=QUARTER, unit=unit
    )
    batch = cycle.batches.get(number=1)
    services.batch_approve(actor=checker, batch=batch)
    elapsed = time.perf_counter() - started
    batch.refresh_from_db()
    if batch.status != "approved":
        raise RuntimeError(f"the batch is {batch.status}, not approved")
    return elapsed, batch.entitlement_count


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> Result:
    members = min(rows, 100_000)  # the budget is stated for 100k entitlements
    data = ensure_pillars(members, log=log)
    scheme, unit, tree = data["scheme"], data["unit"], data["tree"]
    maker = pages.bench_user("pillar_officer", unit, "bench.pilar")
    checker = pages.bench_user("finance_officer", tree.secretariat, "bench.keuangan")
    result = Result(
        code="P9",
        title=f"quarterly cycle: generate + approve ({members:,} entitlements)",
        budget=BUDGET,
        reference_label="one INSERT ... SELECT",
        measured_label="cycle_generate + batch_approve",
        rows=members,
    )
    for number in range(1, runs + 1):
        clear_cycles(scheme)
        seconds, count = _reference(scheme, unit, maker)
        result.reference_seconds.append(seconds)
        log(f"  P9 run {number}/{runs}: INSERT ... SELECT {seconds:.2f} s ({count:,} rows)")
        clear_cycles(scheme)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE pillars_entitlement")
        measured, measured_count = _measured(scheme, unit, maker, checker)
        result.measured_seconds.append(measured)
        log(f"  P9 run {number}/{runs}: generate + approve {measured:.2f} s ({measured_count:,})")
        if count != measured_count or count != members:
            raise RuntimeError(f"reference {count} vs measured {measured_count} entitlements")
    clear_cycles(scheme)
    result.note = (
        "approval flips only the batch row (entitlements stay pending in an approved batch); it is "
        "timed together with the generation. Both sides insert the same rows."
    )
    return result
