"""P4 for the residential side (issue 3): the UPT occupancy summary at 28 UPT and 200k clients.

Data: bench.generate_rehabilitation (200k clients and their cases, shared with P5/P6) and
bench.generate_residential (about 4,900 beds, 90% occupied, 160k ended stays of the closed cases).

- occupancy summary of every UPT (`/rehabilitasi/hunian/`, head of office, province-wide):
  p95 <= 50 ms at 16 users;
- one UPT (`/rehabilitasi/hunian/upt/<id>/`, head of that UPT: rooms, beds, residents, waiting
  list): p95 <= 15 ms at 2 users; each beside the small-template reference (bench/pages.py);
- ORM aggregate <= 1.2x the raw SQL: the per-UPT beds, occupied, away and waiting figures of the
  summary (selectors.residential.occupancy_units + occupancy_figures) against one plain SQL
  statement joining the grouped counts.

`rows` (bench.run --rows) sets the client count when below 200,000, to try it at a small scale:
`python -m bench.run --only P4 --rows 20000 --runs 1`.
"""

from typing import Any

from bench import pages
from bench.p1_csv_import import Result

CLIENTS = 200_000

RAW_OCCUPANCY = """
SELECT u.id, COALESCE(b.n, 0), COALESCE(r.occupied, 0), COALESCE(r.away, 0), COALESCE(w.n, 0)
FROM organisation_unit u
JOIN organisation_unittype t ON t.id = u.unit_type_id
LEFT JOIN (SELECT unit_id, count(*) AS n FROM rehabilitation_bed WHERE is_active
           GROUP BY unit_id) b ON b.unit_id = u.id
LEFT JOIN (SELECT unit_id, count(*) AS occupied, count(*) FILTER (WHERE is_away) AS away
           FROM rehabilitation_residence WHERE ended_on IS NULL GROUP BY unit_id) r
       ON r.unit_id = u.id
LEFT JOIN (SELECT unit_id, count(*) AS n FROM rehabilitation_waitinglistentry
           WHERE status = 'waiting' GROUP BY unit_id) w ON w.unit_id = u.id
WHERE t.is_service_unit AND u.is_active
  AND (b.n IS NOT NULL OR r.occupied IS NOT NULL OR w.n IS NOT NULL)
"""


def _aggregate(viewer: Any, rows: int, runs: int, log: Any) -> Result:
    from sinergi.rehabilitation.selectors.residential import occupancy_figures, occupancy_units

    def orm() -> list[Any]:
        figures = occupancy_figures(occupancy_units(viewer=viewer))
        return [(pk, *values) for pk, values in figures.items()]

    return pages.compare_aggregate(
        code="P4",
        title="occupancy per UPT (beds, occupied, away, waiting)",
        sql=RAW_OCCUPANCY,
        orm=orm,
        rows=rows,
        runs=runs,
        log=log,
    )


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Result]:
    from bench.generate_rehabilitation import ensure_rehabilitation
    from bench.generate_residential import ensure_residential
    from sinergi.organisation.models import Unit
    from sinergi.rehabilitation.models import Residence

    clients = min(rows, CLIENTS)
    ensure_rehabilitation(clients=clients, seed=seed, log=log)
    ensure_residential(log=log)
    tree = pages.units()
    office = pages.bench_user("head_of_office", tree.office)
    head = pages.session_cookie(office)
    upt = Unit.objects.get(pk=tree.upt_a.pk)
    kepala = pages.session_cookie(pages.bench_user("head_of_upt", upt))
    stays = Residence.objects.count()
    results: list[Result] = []
    with pages.serve() as server:
        results += pages.compare(
            server,
            code="P4",
            title=f"occupancy of every UPT ({clients:,} clients, {stays:,} stays)",
            reference=pages.REFERENCE_SMALL,
            measured="/rehabilitasi/hunian/",
            cookie=head,
            users=16,
            runs=runs,
            max_p95_ms=50,
            reference_label="small template (req/s)",
            measured_label="occupancy summary (req/s)",
            log=log,
        )
        results += pages.compare(
            server,
            code="P4",
            title="one UPT: rooms, beds, residents, waiting list (unit-scoped)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/rehabilitasi/hunian/upt/{upt.pk}/",
            cookie=kepala,
            users=2,
            runs=runs,
            max_p95_ms=15,
            reference_label="small template (req/s)",
            measured_label="UPT page (req/s)",
            log=log,
        )
    results.append(_aggregate(office, stays, max(runs, 3), log))
    return results


def budget(args: Any) -> list[Result]:
    """run.py's entry: P4 at --rows clients (at most 200k)."""
    return run(rows=args.rows, runs=args.runs, seed=args.seed)
