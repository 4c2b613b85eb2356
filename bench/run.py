"""Run the performance budgets (shared PERFORMANCE.md) against PostgreSQL and report them.

    make bench          # = DJANGO_SETTINGS_MODULE=config.settings.bench python -m bench.run
    python -m bench.run --rows 100000 --runs 3     # quicker, while developing
    python -m bench.run --only P2,P3               # some budgets only

Sets the database up (creates it if missing, migrates, loads the Jawa Timur region codes), runs
each budget script side by side with its reference, prints a table and writes
bench/results/latest.md (machine, figures, ratio, pass/fail). Exits 1 when a budget is missed or
could not be measured.
"""

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"


def ensure_database() -> None:
    """Create the benchmark database when it does not exist yet (needs a role that may)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The benchmarks need PostgreSQL: set DATABASE_URL=postgres://...")
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"created database {db['NAME']}")


def set_up(log: Any = print) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_regions", province="35")
    log(f"database ready in {time.perf_counter() - started:.1f} s")


def machine() -> dict[str, str]:
    from django.db import connection

    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    load = _load_average()
    import django

    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "load average at start": load,
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "system": platform.platform(),
    }


def _load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else ""


def _busy(info: dict[str, str]) -> bool:
    """Whether the 1-minute load exceeded the cores at the start or the end (noisy figures)."""
    cores = int(info.get("cores") or 1)
    loads = [info.get("load average at start", ""), info.get("load average at end", "")]
    return any(text and float(text.split(",")[0]) > cores for text in loads)


def _rate(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "not measured"


def table(results: list[Any]) -> list[str]:
    lines = [
        "| budget | what | reference | reference rows/s | measured | measured rows/s | ratio "
        "| needed | result |",
        "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ratio = f"{r.ratio:.3f}" if r.ratio is not None else "-"
        if r.informational:
            verdict = "info"
        else:
            verdict = "PASS" if r.passed else ("NOT MEASURED" if r.ratio is None else "FAIL")
        needed = "-" if r.informational else f">= {r.budget:.2f}"
        lines.append(
            f"| {r.code} | {r.title} | {r.reference_label} | {_rate(r.reference_rate)} "
            f"| {r.measured_label} | {_rate(r.measured_rate)} | {ratio} | {needed} "
            f"| {verdict} |"
        )
    return lines


def write_report(results: list[Any], info: dict[str, str], args: argparse.Namespace) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `python -m bench.run "
        f"--rows {args.rows} --runs {args.runs} --seed {args.seed}`. Rates are medians of "
        f"{args.runs} runs; the ratio is the median of the per-run ratios (each run times the "
        "reference and the measured side back to back on this machine, see shared "
        "PERFORMANCE.md).",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        *(
            ["", "The machine was busy (load above its cores): the figures are noisy, run again."]
            if _busy(info)
            else []
        ),
        "",
        "## Results",
        "",
        *table(results),
        "",
        "## Runs (seconds)",
        "",
    ]
    for r in results:
        reference = ", ".join(f"{s:.2f}" for s in r.reference_seconds) or "-"
        measured = ", ".join(f"{s:.2f}" for s in r.measured_seconds) or "-"
        lines.append(f"- {r.code} {r.rows:,} rows: reference {reference}; measured {measured}")
        if r.note:
            lines.append(f"  - {r.note}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


# (budget, script module): each script has run(*, rows, runs, seed) -> Result | list[Result], or
# budget(args) when it maps the command line to its own scale.
BUDGETS = [
    ("P1", "bench.p1_csv_import"),
    ("P2", "bench.p2_xlsx_import"),
    ("P2", "bench.p2_budget_import"),
    ("P3", "bench.p3_xlsx_export"),
    ("P3", "bench.p3_pillars_bank_file"),
    ("P4", "bench.p4_budget_dashboards"),
    ("P4", "bench.p4_rehabilitation_occupancy"),
    ("P4", "bench.p4_staff_compliance"),
    ("P4", "bench.p4_performance_dashboard"),
    ("P5", "bench.p5_budget_lists"),
    ("P5", "bench.p5_rehabilitation_lists"),
    ("P5", "bench.p5_staff_lists"),
    ("P5", "bench.p5_pillars_lists"),
    ("P6", "bench.p6_rehabilitation_case"),
    ("P8", "bench.p8_meetings_pdf"),
    ("P9", "bench.p9_pillars_cycle"),
]


def _measure(module_name: str, args: argparse.Namespace) -> list[Any]:
    import importlib
    import inspect

    module = importlib.import_module(module_name)
    if hasattr(module, "budget"):
        outcome = module.budget(args)
    else:
        accepted = inspect.signature(module.run).parameters
        offered = {"rows": args.rows, "runs": args.runs, "seed": args.seed}
        outcome = module.run(**{k: v for k, v in offered.items() if k in accepted})
    return list(outcome) if isinstance(outcome, list | tuple) else [outcome]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the Sinergi performance budgets.")
    parser.add_argument("--rows", type=int, default=1_000_000, help="registry rows (default 1M)")
    parser.add_argument("--runs", type=int, default=3, help="runs per budget; medians are quoted")
    parser.add_argument("--seed", type=int, default=35, help="seed of the synthetic data")
    parser.add_argument("--skip-setup", action="store_true", help="do not migrate/load regions")
    parser.add_argument(
        "--only", default="", help="run only these budgets, e.g. --only P2,P3 (default: all)"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    ensure_database()
    if not args.skip_setup:
        set_up()
    info = machine()
    started = time.perf_counter()

    wanted = {code.strip().upper() for code in args.only.split(",") if code.strip()}
    results = []
    for code, module_name in BUDGETS:
        if not wanted or code in wanted:
            results.extend(_measure(module_name, args))

    info["load average at end"] = _load_average()
    print()
    print("\n".join(table(results)))
    if _busy(info):
        print("\nThe machine was busy (load above its cores): the figures are noisy.")
    write_report(results, info, args)
    print(f"\n{len(results)} budget(s) in {time.perf_counter() - started:.0f} s; report: {RESULTS}")
    for r in results:
        if r.note:
            print(f"{r.code}: {r.note}")
    failed = [r.code for r in results if not r.passed]
    if failed:
        print(f"missed or not measured: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
