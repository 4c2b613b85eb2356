"""P3: an xlsx export through core.exports.write_xlsx runs at >= 60% of bare xlsxwriter.

Both sides write the same 100k rows (the synthetic registry of bench.generate, plus a money, a
whole-number and a yes/no column, so every common column kind is there) as objects in memory:

- reference: xlsxwriter in constant_memory mode, one write_string/write_datetime/write_number/
  write_boolean call per cell with the same cell formats, nothing else;
- measured: `sinergi.core.exports.write_xlsx` with ExportColumns of the real kinds (identity, text,
  date, money, int, bool), as an export job writes them: typed cells, text for identity numbers,
  column widths from the first rows, frozen bold header, autofilter.

No database is needed; the rows are built before the clock starts.
"""

import datetime as dt
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.generate import generate_rows
from bench.p1_csv_import import Result

BUDGET = 0.60


class Person:
    """A row as an export sees it: attributes, like a model instance."""

    __slots__ = ("active", "aid", "birth_on", "children", "name", "nik", "phone", "sex", "village")

    def __init__(self, *values: Any) -> None:
        (
            self.nik,
            self.name,
            self.sex,
            self.birth_on,
            self.village,
            self.phone,
            self.aid,
            self.children,
            self.active,
        ) = values


def build_rows(rows: int, seed: int) -> list[Person]:
    people = []
    for index, (nik, name, sex, born, village, phone) in enumerate(generate_rows(rows, seed)):
        people.append(
            Person(
                nik,
                name,
                sex,
                dt.date.fromisoformat(born),
                village,
                phone,
                Decimal(250_000 + (index % 40) * 12_500) + Decimal("0.50") * (index % 2),
                index % 6,
                index % 7 != 0,
            )
        )
    return people


def columns() -> list[Any]:
    from sinergi.core.exports import ExportColumn

    return [
        ExportColumn("nik", "NIK", kind="identity"),
        ExportColumn("name", "Nama"),
        ExportColumn("sex", "Jenis kelamin"),
        ExportColumn("birth_on", "Tanggal lahir", kind="date"),
        ExportColumn("village", "Kode desa", kind="identity"),
        ExportColumn("phone", "No. HP"),
        ExportColumn("aid", "Bantuan", kind="money"),
        ExportColumn("children", "Jumlah anak", kind="int"),
        ExportColumn("active", "Aktif", kind="bool"),
    ]


def reference_write(path: Path, people: list[Person]) -> float:
    """Seconds for bare xlsxwriter (constant memory) to write the rows with the same formats."""
    import xlsxwriter

    from sinergi.core.exports import DATE_FORMAT, INT_FORMAT, MONEY_FORMAT, TEXT_FORMAT

    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
    )
    sheet = workbook.add_worksheet("Data")
    text = workbook.add_format({"num_format": TEXT_FORMAT})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    money = workbook.add_format({"num_format": MONEY_FORMAT})
    whole = workbook.add_format({"num_format": INT_FORMAT})
    for c, header in enumerate(str(column.header) for column in columns()):
        sheet.write_string(0, c, header)
    write_string, write_datetime = sheet.write_string, sheet.write_datetime
    write_number, write_boolean = sheet.write_number, sheet.write_boolean
    for r, p in enumerate(people, start=1):
        write_string(r, 0, p.nik, text)
        write_string(r, 1, p.name)
        write_string(r, 2, p.sex)
        write_datetime(r, 3, p.birth_on, date)
        write_string(r, 4, p.village, text)
        if p.phone:
            write_string(r, 5, p.phone)
        write_number(r, 6, float(p.aid), money)
        write_number(r, 7, p.children, whole)
        write_boolean(r, 8, p.active)
    workbook.close()
    return time.perf_counter() - started


def measured_write(path: Path, people: list[Person]) -> float:
    """Seconds for core.exports.write_xlsx to write the same rows."""
    from sinergi.core.exports import write_xlsx

    started = time.perf_counter()
    with path.open("wb") as handle:
        count = write_xlsx(handle, sheet_title="Data", columns=columns(), rows=iter(people))
    elapsed = time.perf_counter() - started
    if count != len(people):
        raise RuntimeError(f"write_xlsx wrote {count} rows, expected {len(people)}")
    return elapsed


def check_same_cells(reference: Path, measured: Path, rows: int) -> None:
    """Both files hold the same values (read back with calamine, first and last rows)."""
    from python_calamine import CalamineWorkbook

    def sample(path: Path) -> list[list[Any]]:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        values = sheet.to_python()
        return [values[1], values[rows // 2], values[-1]]

    if sample(reference) != sample(measured):
        raise RuntimeError("the reference and the measured file hold different cells")


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> Result:
    rows = min(rows, 100_000)  # the budget is stated for 100k rows
    result = Result(
        code="P3",
        title="xlsx export (100k rows, typed columns)",
        budget=BUDGET,
        reference_label="bare xlsxwriter, constant memory",
        measured_label="core.exports.write_xlsx",
        rows=rows,
    )
    people = build_rows(rows, seed)
    sizes = []
    with tempfile.TemporaryDirectory(prefix="sinergi-p3-") as folder:
        reference_path = Path(folder) / "reference.xlsx"
        measured_path = Path(folder) / "measured.xlsx"
        for number in range(1, runs + 1):
            seconds = reference_write(reference_path, people)
            result.reference_seconds.append(seconds)
            log(
                f"  P3 run {number}/{runs}: xlsxwriter {seconds:.2f} s ({rows / seconds:,.0f} rows/s)"
            )
            seconds = measured_write(measured_path, people)
            result.measured_seconds.append(seconds)
            log(
                f"  P3 run {number}/{runs}: write_xlsx {seconds:.2f} s ({rows / seconds:,.0f} rows/s)"
            )
            sizes.append(measured_path.stat().st_size)
        check_same_cells(reference_path, measured_path, rows)
    result.note = (
        f"file of {statistics.median(sizes) / 1024 / 1024:.1f} MB; same cell values checked "
        "with calamine"
    )
    return result


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    outcome = run(rows=100_000, runs=3, seed=35)
    print(f"P3 ratio {outcome.ratio:.3f} (budget {BUDGET})")
