"""P6: the rehabilitation case page at 200k clients / 2M service rows.

The measured case has a plan, 30 progress notes and 5,000 service rows. The page itself holds the
stage panel, the termination, follow-ups and assessments; the bed, the casework (plan, the latest
10 services, notes, conferences) and the history come right after it in ONE htmx request, which
is measured too. Reference: the harness's small authenticated template; budget >= 0.50 for the
page and for its panels (a request the browser makes for every case page). A last row loads the
case's service-log page (50 rows per keyset page) against the small template.
"""

from typing import Any

from bench import pages
from bench.generate_rehabilitation import ensure_rehabilitation, focus_case

SERVICES_PER_CASE = 10
MAX_CLIENTS = 200_000


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Any]:
    ensure_rehabilitation(rows, SERVICES_PER_CASE, seed, log=log)
    tree = pages.units()
    worker = pages.bench_user("social_worker", tree.upt_a, username="bench-peksos-upt-a")
    cookie = pages.session_cookie(worker)
    case = focus_case()
    with pages.serve() as server:
        results = pages.compare(
            server,
            code="P6",
            title=f"rehabilitation case page ({case.service_entries.count():,} service rows)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/rehabilitasi/kasus/{case.pk}/",
            cookie=cookie,
            runs=runs,
            min_ratio=0.50,
            log=log,
        )
        results += pages.compare(
            server,
            code="P6",
            title="its panels (bed, plan, latest services, notes, conferences, history)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/rehabilitasi/kasus/{case.pk}/panel/",
            cookie=cookie,
            runs=runs,
            min_ratio=0.50,
            log=log,
        )
        results += pages.compare(
            server,
            code="P6",
            title="rehabilitation service log page of that case (50 rows)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/rehabilitasi/kasus/{case.pk}/layanan/",
            cookie=cookie,
            runs=runs,
            min_ratio=0.50,
            log=log,
        )
    return results


def budget(args: Any) -> list[Any]:
    """The entry of bench/run.py: at most 200k clients (the issue's scale) whatever `--rows`."""
    return run(rows=min(args.rows, MAX_CLIENTS), runs=args.runs, seed=args.seed)
