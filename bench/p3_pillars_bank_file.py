"""P3 for the pillars (issue 6): the bank bulk-transfer CSV of a 100k batch at >= 60% of a bare
CSV write of the same rows (as bench/p3_xlsx_export.py compares with bare xlsxwriter).

Data: bench.generate_pillars; one cycle generated and approved before the clock starts.

- reference: one plain SQL SELECT of the batch's rows (reference parts, account, holder, bank
  code, amount) through a server-side cursor and `csv.writer.writerow` per row to a file;
- measured: `services.bank_file_lines` (the streamed file the download sends: the layout's
  columns, transfer references, amount format, description) written to a file.

Both files are checked to hold the same number of lines.
"""

import csv
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import connection

from bench import pages
from bench.generate_pillars import clear_cycles, ensure_pillars
from bench.p1_csv_import import Result

BUDGET = 0.60

SQL = """
SELECT e.id, e.attempt, e.account_number, e.account_holder, b.code, e.amount
FROM pillars_entitlement e JOIN pillars_bank b ON b.id = e.bank_id
WHERE e.batch_id = %s AND e.status = 'pending' ORDER BY e.id
"""


def _reference(batch_id: int, path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    lines = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["NO", "NO_REKENING", "NAMA_PENERIMA", "KODE_BANK", "NOMINAL", "REFERENSI"])
        with connection.cursor() as cursor:
            cursor.execute(SQL, [batch_id])
            for number, (pk, attempt, account, holder, bank, amount) in enumerate(cursor, 1):
                writer.writerow(
                    [number, account, holder, bank, int(amount), f"P{pk:09d}{attempt:02d}"]
                )
                lines = number
    return time.perf_counter() - started, lines


def _measured(batch: Any, layout: Any, path: Path) -> tuple[float, int]:
    from sinergi.pillars import services

    started = time.perf_counter()
    with path.open("w", newline="", encoding="utf-8") as handle:
        for chunk in services.bank_file_lines(batch, layout):
            handle.write(chunk)
    elapsed = time.perf_counter() - started
    with path.open(encoding="utf-8") as handle:
        lines = sum(1 for _line in handle) - (1 if layout.has_header else 0)
    return elapsed, lines


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> Result:
    from sinergi.pillars import services
    from sinergi.pillars.models import BankFileLayout

    members = min(rows, 100_000)
    data = ensure_pillars(members, log=log)
    scheme, unit, tree = data["scheme"], data["unit"], data["tree"]
    maker = pages.bench_user("pillar_officer", unit, "bench.pilar")
    checker = pages.bench_user("finance_officer", tree.secretariat, "bench.keuangan")
    cycle = services.cycle_generate(actor=maker, scheme=scheme, year=2025, quarter=2, unit=unit)
    batch = services.batch_approve(actor=checker, batch=cycle.batches.get(number=1))
    layout = BankFileLayout.objects.get(is_default=True)
    result = Result(
        code="P3",
        title=f"bank transfer file, CSV ({members:,} transfers)",
        budget=BUDGET,
        reference_label="SQL cursor + bare csv.writer",
        measured_label="services.bank_file_lines",
        rows=members,
    )
    with tempfile.TemporaryDirectory(prefix="sinergi-p3-pillars-") as folder:
        for number in range(1, runs + 1):
            seconds, count = _reference(batch.pk, Path(folder) / "reference.csv")
            result.reference_seconds.append(seconds)
            log(f"  P3 run {number}/{runs}: bare csv {seconds:.2f} s ({count:,} rows)")
            measured, measured_count = _measured(batch, layout, Path(folder) / "measured.csv")
            result.measured_seconds.append(measured)
            log(f"  P3 run {number}/{runs}: bank file {measured:.2f} s ({measured_count:,} rows)")
            if count != measured_count or count != members:
                raise RuntimeError(f"reference {count} vs bank file {measured_count} rows")
    clear_cycles(scheme)
    result.note = "both sides read the batch from PostgreSQL and write CSV to a file"
    return result
