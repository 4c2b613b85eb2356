"""Synthetic registry rows at a chosen scale: valid NIKs over the real Jawa Timur villages.

    python -m bench.generate --rows 1000000 --seed 35 [--out FILE.csv] [--xlsx FILE.xlsx]

Each row: nik, nama, jenis_kelamin (L/P), tanggal_lahir (yyyy-mm-dd), kode_desa (Kemendagri
village code, e.g. 35.78.01.1001), no_hp. The NIK is made from the village's kecamatan, the birth
date and sex of the row (women: day + 40) and a serial unique per kecamatan/date, so every NIK is
unique and agrees with its row. Same seed, same rows. Needs no database and no Django setup.
"""

import argparse
import csv
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench.names import FEMALE_FIRST, LAST, MALE_FIRST, MIDDLE
from sinergi.core.identity import Sex, make_nik

ROOT = Path(__file__).resolve().parent.parent
VILLAGES_CSV = ROOT / "sinergi" / "organisation" / "data" / "idn-area-data" / "villages.csv"
DATA_DIR = Path(__file__).resolve().parent / "data"
HEADER = ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "no_hp")
DEFAULT_ROWS = 1_000_000
DEFAULT_SEED = 35
# Birth dates within the last century, so the two-digit NIK year is never ambiguous.
FIRST_BIRTH = dt.date(1940, 1, 1)
LAST_BIRTH = dt.date(2025, 12, 31)
MOBILE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0877", "0878")
MOBILE_PREFIXES += ("0881", "0882", "0895", "0896", "0897", "0898", "0899", "0831", "0838")


def load_villages(province: str = "35") -> list[str]:
    """The village codes of one province from the vendored idn-area-data CSV (8,494 for 35)."""
    with VILLAGES_CSV.open(newline="", encoding="utf-8") as handle:
        return [
            row["code"] for row in csv.DictReader(handle) if row["code"].startswith(f"{province}.")
        ]


def generate_rows(
    rows: int, seed: int = DEFAULT_SEED
) -> Iterator[tuple[str, str, str, str, str, str]]:
    """`rows` registry rows (see the module docstring), deterministic for a given seed."""
    rng = random.Random(seed)
    villages = load_villages()
    serials: dict[str, int] = {}
    first_ordinal, span = FIRST_BIRTH.toordinal(), LAST_BIRTH.toordinal() - FIRST_BIRTH.toordinal()
    for _ in range(rows):
        village = rng.choice(villages)
        born = dt.date.fromordinal(first_ordinal + rng.randrange(span + 1))
        sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
        prefix = make_nik(village[:8], born, sex, 1)[:12]
        serial = serials.get(prefix, 0) + 1
        serials[prefix] = serial
        nik = f"{prefix}{serial:04d}"
        first = rng.choice(FEMALE_FIRST if sex == Sex.FEMALE else MALE_FIRST)
        parts = [first]
        if rng.random() < 0.35:
            middle = rng.choice(MIDDLE)
            if middle != first:
                parts.append(middle)
        if rng.random() < 0.7:
            parts.append(rng.choice(LAST))
        phone = (
            f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7, 10**8)}"
            if rng.random() < 0.8
            else ""
        )
        yield nik, " ".join(parts), sex.value, born.isoformat(), village, phone


def default_csv_path(rows: int, seed: int = DEFAULT_SEED) -> Path:
    return DATA_DIR / f"registry_{rows}_{seed}.csv"


def write_csv(path: Path, rows: int, seed: int = DEFAULT_SEED) -> Path:
    """Write the rows as UTF-8 CSV with a header (through a temporary file, so a cut run leaves
    no half file behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(generate_rows(rows, seed))
    partial.replace(path)
    return path


def ensure_csv(rows: int, seed: int = DEFAULT_SEED) -> Path:
    """The cached CSV for (rows, seed) under bench/data/, generated the first time."""
    path = default_csv_path(rows, seed)
    if not path.exists():
        write_csv(path, rows, seed)
    return path


def write_xlsx(path: Path, rows: int, seed: int = DEFAULT_SEED) -> Path:
    """The same rows as an xlsx sheet: identity numbers and codes as text, dates as real dates."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Data")
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(0, 0, HEADER)
    for index, (nik, name, sex, born, village, phone) in enumerate(generate_rows(rows, seed), 1):
        sheet.write_string(index, 0, nik)
        sheet.write_string(index, 1, name)
        sheet.write_string(index, 2, sex)
        sheet.write_datetime(index, 3, dt.date.fromisoformat(born), date_format)
        sheet.write_string(index, 4, village)
        if phone:
            sheet.write_string(index, 5, phone)
    workbook.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--out", type=Path, help="CSV file (default bench/data/registry_ROWS_SEED.csv)"
    )
    parser.add_argument("--xlsx", type=Path, help="also write the rows to this xlsx file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = write_csv(args.out or default_csv_path(args.rows, args.seed), args.rows, args.seed)
    print(f"{args.rows:,} rows -> {path} in {time.perf_counter() - started:.1f} s")
    if args.xlsx:
        started = time.perf_counter()
        write_xlsx(args.xlsx, args.rows, args.seed)
        print(f"{args.rows:,} rows -> {args.xlsx} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
