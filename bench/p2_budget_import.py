"""P2 for the budget (issue 4): the DPA and cash-plan xlsx imports at 20k lines (240k cells).

Workbooks generated here (cached under bench/data/), in the columns finance staff export from
SIPD; they load fiscal year 2027 (emptied before each run) of the units of bench.p4_budget_data.

- reference: python-calamine opens the workbook and iterates every row, nothing else;
- measured (the budget, >= 0.30): the core import engine up to the preview, as an upload runs
  (store, read, parse every cell, check every row against units, lines and years, stage);
- measured too, for information: the same plus the set-based apply (one upsert per table:
  programs, kegiatan, sub kegiatan, lines and their initial revisions; the 240k cash-plan cells),
  whose writes the read-only reference does not pay (see bench/p2_xlsx_import.py).

`rows` sets the number of lines when below 20,000.
"""

import time
from pathlib import Path
from typing import Any

from bench.generate import DATA_DIR
from bench.p1_csv_import import Result, bench_actor
from bench.p2_xlsx_import import reference_read
from bench.p4_budget_data import _units as kpa_units

BUDGET = 0.30
LINES = 20_000
YEAR = 2027
MONTHS = ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"]
DPA_HEADER = [
    "tahun", "kode_program", "nama_program", "kode_kegiatan", "nama_kegiatan",
    "kode_sub_kegiatan", "nama_sub_kegiatan", "kode_rekening", "nama_rekening", "kode_unit",
    "pptk", "pagu",
]  # fmt: skip


def _line(i: int, units: list[str]) -> tuple[list[Any], list[Any]]:
    """(DPA row, cash-plan row) of line i: 5 programs, 50 kegiatan, 500 sub kegiatan."""
    program = f"1.06.0{1 + i % 5}"
    kegiatan = f"{program}.1.{i % 50:02d}"
    sub = f"{kegiatan}.{i % 500:04d}"
    account = f"5.1.0{2 + i % 3}.01.01.{i // 500:04d}"
    unit = units[(i // 7) % len(units)]
    pagu = 10_000_000 + (i * 7919) % 500 * 1_000_000
    dpa = [
        YEAR, program, f"Program {program}", kegiatan, f"Kegiatan {kegiatan}", sub,
        f"Sub Kegiatan {sub}", account, f"Belanja {account}", unit, "PPTK Uji", pagu,
    ]  # fmt: skip
    month = round(pagu / 12, 2)
    plan = [YEAR, sub, account, unit, *([month] * 11), round(pagu - 11 * month, 2)]
    return dpa, plan


def ensure_workbooks(lines: int) -> tuple[Path, Path]:
    import xlsxwriter

    from sinergi.organisation.models import Unit

    units = sorted(Unit.objects.filter(pk__in=kpa_units()).values_list("code", flat=True))
    dpa_path = DATA_DIR / f"budget_dpa_{lines}.xlsx"
    plan_path = DATA_DIR / f"budget_cash_plan_{lines}.xlsx"
    if dpa_path.exists() and plan_path.exists():
        return dpa_path, plan_path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for path, header, pick in (
        (dpa_path, DPA_HEADER, 0),
        (plan_path, ["tahun", "kode_sub_kegiatan", "kode_rekening", "kode_unit", *MONTHS], 1),
    ):
        partial = path.with_suffix(".partial.xlsx")
        workbook = xlsxwriter.Workbook(
            str(partial), {"constant_memory": True, "strings_to_numbers": False}
        )
        sheet = workbook.add_worksheet("Data")
        sheet.write_row(0, 0, header)
        for i in range(lines):
            sheet.write_row(i + 1, 0, _line(i, units)[pick])
        workbook.close()
        partial.replace(path)
    return dpa_path, plan_path


def _empty_year() -> None:
    from django.db import connection

    from sinergi.budget.models import FiscalYear

    year = FiscalYear.objects.filter(year=YEAR).first()
    if year is None:
        return
    with connection.cursor() as cursor:
        lines = "SELECT id FROM budget_budgetline WHERE fiscal_year_id = %s"
        for sql in (
            f"DELETE FROM budget_cashplan WHERE line_id IN ({lines})",
            f"DELETE FROM budget_budgetrevision WHERE line_id IN ({lines})",
            "DELETE FROM budget_absorptionsummary WHERE fiscal_year_id = %s",
            "DELETE FROM budget_budgetline WHERE fiscal_year_id = %s",
            "DELETE FROM budget_subkegiatan WHERE fiscal_year_id = %s",
            "DELETE FROM budget_kegiatan WHERE fiscal_year_id = %s",
            "DELETE FROM budget_program WHERE fiscal_year_id = %s",
        ):
            cursor.execute(sql, [year.pk])


def _import(path: Path, spec: str, actor: Any) -> tuple[float, float, Any]:
    from django.core.files.uploadedfile import UploadedFile

    from sinergi.core.tabular import services

    started = time.perf_counter()
    with path.open("rb") as handle:
        upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
        batch = services.batch_create(actor=actor, spec_code=spec, upload=upload)
    batch = services.batch_validate(actor=actor, batch_id=batch.pk)
    validated = time.perf_counter()
    if batch.error_count:
        raise RuntimeError(
            f"{spec}: the engine rejected {batch.error_rows} rows: {batch.errors[:3]}"
        )
    batch = services.batch_apply(actor=actor, batch_id=batch.pk)
    applied = time.perf_counter()
    for stored in (batch.file, batch.staged_file):
        if stored:
            stored.delete(save=False)
    return validated - started, applied - validated, batch


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    lines = min(rows, LINES)
    dpa_path, plan_path = ensure_workbooks(lines)
    actor = bench_actor()
    results = []
    for label, path, spec in (
        ("DPA lines", dpa_path, "budget.dpa_lines"),
        ("cash plan (12 months a line)", plan_path, "budget.cash_plan"),
    ):
        checked = Result(
            code="P2",
            title=f"budget xlsx import: {label}, {lines:,} rows (to the preview)",
            budget=BUDGET,
            reference_label="python-calamine bare read",
            measured_label="import engine: upload + validate",
            rows=lines,
        )
        full = Result(
            code="P2 +apply",
            title=f"budget xlsx import: {label}, checked and applied set-based",
            budget=BUDGET,
            reference_label="python-calamine bare read",
            measured_label="import engine: upload + validate + apply",
            rows=lines,
            informational=True,
        )
        for number in range(1, runs + 1):
            if spec == "budget.dpa_lines":
                _empty_year()
            else:  # the cash plan needs the lines: import the DPA first (not timed)
                _empty_year()
                _import(dpa_path, "budget.dpa_lines", actor)
            seconds, seen = reference_read(path)
            if seen != lines:
                raise RuntimeError(f"calamine read {seen} rows, expected {lines}")
            check, apply, batch = _import(path, spec, actor)
            if batch.created_count != lines:
                raise RuntimeError(f"{spec}: created {batch.created_count}, expected {lines}")
            for result in (checked, full):
                result.reference_seconds.append(seconds)
            checked.measured_seconds.append(check)
            full.measured_seconds.append(check + apply)
            log(
                f"  P2 {label} run {number}/{runs}: calamine {seconds:.2f} s, validate "
                f"{check:.2f} s, apply {apply:.2f} s"
            )
        results += [checked, full]
    _empty_year()
    return results
