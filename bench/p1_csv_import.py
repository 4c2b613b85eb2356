"""P1: a CSV import, fully validated, into the real schema runs at >= 40% of raw COPY.

Both sides load the same generated CSV (bench.generate) into the same table (SyntheticPerson:
PK + unique NIK + village FK), emptied before each run:

- reference: psycopg 3 `COPY ... FROM STDIN (FORMAT csv)` of the file, as fast as PostgreSQL loads;
- measured: the core import engine (sinergi.core.tabular) end to end, as a user's upload runs:
  batch_create (store + sniff the file) -> batch_validate (parse every cell, NIK checked against
  the kecamatan list, village code, birth date and sex of the row; stage the clean rows) ->
  batch_apply (set-based upsert in one transaction + one audit event).
"""

import contextlib
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from bench.generate import ensure_csv

BUDGET = 0.40
TABLE = "benchapp_syntheticperson"
COPY_SQL = (
    f"COPY {TABLE} (nik, name, sex, birth_on, village_id, phone) FROM STDIN "
    "WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (phone))"
)
SPEC_CODE = "benchapp.synthetic_people"


@dataclass
class Result:
    code: str
    title: str
    budget: float
    reference_label: str
    measured_label: str
    rows: int
    reference_seconds: list[float] = field(default_factory=list)
    measured_seconds: list[float] = field(default_factory=list)
    note: str = ""
    # Shown for information beside a budget, never failing the run (e.g. a path with a floor the
    # reference does not share).
    informational: bool = False

    @property
    def reference_rate(self) -> float | None:
        return (
            self.rows / statistics.median(self.reference_seconds)
            if self.reference_seconds
            else None
        )

    @property
    def measured_rate(self) -> float | None:
        return (
            self.rows / statistics.median(self.measured_seconds) if self.measured_seconds else None
        )

    @property
    def ratio(self) -> float | None:
        """Median of the per-run ratios: each run times the reference and the measured side back
        to back, so a busy moment of a shared machine slows both sides of the same pair."""
        if not self.measured_seconds:
            return None
        pairs = zip(self.reference_seconds, self.measured_seconds, strict=False)
        return statistics.median(reference / measured for reference, measured in pairs)

    @property
    def passed(self) -> bool:
        if self.informational:
            return True
        return self.ratio is not None and self.ratio >= self.budget


def _empty_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE} RESTART IDENTITY")
        # Start each timed run with no dirty pages pending (needs a privileged role; optional).
        with contextlib.suppress(DatabaseError):
            cursor.execute("CHECKPOINT")


def _row_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return int(cursor.fetchone()[0])


def reference_copy(csv_path: Path) -> float:
    """Seconds to COPY the CSV into the empty table and commit."""
    _empty_table()
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(COPY_SQL) as copy,
        csv_path.open("rb") as source,
    ):
        while block := source.read(1024 * 1024):
            copy.write(block)
    return time.perf_counter() - started


def engine_available() -> str:
    """Empty when the core import engine and the bench spec are importable, else why not."""
    try:
        from sinergi.core.tabular import registry, services  # noqa: F401
    except ImportError as error:
        return f"core import engine not available ({error})"
    if registry.get(SPEC_CODE) is None:
        return f"import spec {SPEC_CODE} is not registered (bench/benchapp/imports.py)"
    return ""


def bench_actor() -> Any:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-runner",
        defaults={"is_superuser": True, "is_staff": True, "full_name": "Benchmark"},
    )
    return user


def measured_import(csv_path: Path, actor: Any) -> tuple[float, Any]:
    """Seconds for upload + validate + apply of the CSV through the import engine, and the batch."""
    from django.core.files.uploadedfile import UploadedFile

    from sinergi.core.tabular import services

    _empty_table()
    started = time.perf_counter()
    with csv_path.open("rb") as handle:
        upload = UploadedFile(
            handle, name=csv_path.name, content_type="text/csv", size=csv_path.stat().st_size
        )
        batch = services.batch_create(actor=actor, spec_code=SPEC_CODE, upload=upload)
    batch = services.batch_validate(actor=actor, batch_id=batch.pk)
    if batch.error_count:
        raise RuntimeError(f"the engine rejected {batch.error_rows} rows: {batch.errors[:3]}")
    batch = services.batch_apply(actor=actor, batch_id=batch.pk)
    elapsed = time.perf_counter() - started
    for stored in (batch.file, batch.staged_file):
        if stored:
            stored.delete(save=False)
    return elapsed, batch


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> Result:
    result = Result(
        code="P1",
        title="CSV import, fully validated",
        budget=BUDGET,
        reference_label="raw COPY (psycopg 3)",
        measured_label="core import engine",
        rows=rows,
    )
    csv_path = ensure_csv(rows, seed)
    missing = engine_available()
    actor = bench_actor() if not missing else None
    for number in range(1, runs + 1):
        seconds = reference_copy(csv_path)
        if (count := _row_count()) != rows:
            raise RuntimeError(f"COPY loaded {count} rows, expected {rows}")
        result.reference_seconds.append(seconds)
        log(f"  P1 run {number}/{runs}: COPY {seconds:.2f} s ({rows / seconds:,.0f} rows/s)")
        if missing:
            continue
        seconds, batch = measured_import(csv_path, actor)
        if (count := _row_count()) != rows or batch.created_count != rows:
            raise RuntimeError(
                f"the engine loaded {count} rows (created {batch.created_count}), expected {rows}"
            )
        result.measured_seconds.append(seconds)
        log(f"  P1 run {number}/{runs}: engine {seconds:.2f} s ({rows / seconds:,.0f} rows/s)")
    _empty_table()
    if missing:
        result.note = f"measured part not run: {missing}"
    return result
