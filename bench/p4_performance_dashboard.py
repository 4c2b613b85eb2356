"""P4 for the performance app: the achievement dashboard at 2,000 indicators x 5 years x 4 quarters
for 40 units (issue 7).

Rows:
- "ORM <= 1.2x raw": the dashboard's aggregate, one row per unit with its indicator, figure,
  verified and per-band counts and the sum of achievements for one quarter, read from the
  summaries (`selectors.summary_rows`) vs the same statement hand-written.
- information: the live aggregation that rebuilds those summaries (target and realisation joined,
  capaian per DOMAIN 5.4 and its band computed in SQL over every indicator, grouped), hand-written
  SQL vs the ORM. It runs on writes for one unit and year, not per page view.
- "province-wide page p95 <= 50 ms at 16 users": /kinerja/ for the head of office (office IKU,
  every unit's standing read from the summaries), beside the small reference page.
- "unit-scoped page p95 <= 15 ms at 2 users": /kinerja/unit/<UPT>/ for the head of that UPT (its
  50 indicators with target, realisation, achievement and band computed live).
"""

from decimal import Decimal
from typing import Any

from bench import pages
from bench.p4_performance_data import ensure_performance

YEAR, QUARTER = 2026, 3


def _raw_sql(band_list: list[Any]) -> str:
    ordered = sorted(
        band_list, key=lambda b: (b.minimum is None, -(b.minimum if b.minimum is not None else 0))
    )
    whens, default = [], "NULL"
    for band in ordered:
        if band.minimum is None:
            default = str(band.pk)
            break
        operator = ">=" if band.inclusive else ">"
        whens.append(f"WHEN a {operator} {band.minimum} THEN {band.pk}")
    band_case = f"CASE WHEN a IS NULL THEN NULL {' '.join(whens)} ELSE {default} END"
    return f"""
        SELECT unit_id, {band_case} AS band_id, count(*),
               count(*) FILTER (WHERE a IS NOT NULL), count(*) FILTER (WHERE verified),
               sum(a)
        FROM (
            SELECT i.unit_id, coalesce(r.verified, false) AS verified, CASE
                WHEN r.value IS NULL THEN NULL
                WHEN i.polarity = 'maximize' AND t.value <> 0
                    THEN round(greatest(r.value * 100 / t.value, 0), 2)
                WHEN i.polarity = 'minimize' AND t.value <> 0
                    THEN round(greatest((2 * t.value - r.value) * 100 / t.value, 0), 2)
                WHEN i.polarity = 'range' AND r.value BETWEEN t.low AND t.high THEN 100
                WHEN i.polarity = 'range' AND r.value > t.high AND t.high <> 0
                    THEN round(greatest((2 * t.high - r.value) * 100 / t.high, 0), 2)
                WHEN i.polarity = 'range' AND r.value < t.low AND t.low <> 0
                    THEN round(greatest(r.value * 100 / t.low, 0), 2)
                WHEN i.polarity = 'binary' AND t.value IS NOT NULL
                    THEN CASE WHEN r.value = t.value THEN 100 ELSE 0 END
            END AS a
            FROM performance_indicator i
            JOIN performance_renstraperiod p ON p.id = i.period_id
            LEFT JOIN performance_target t
                ON t.indicator_id = i.id AND t.year = %s AND t.quarter = %s
            LEFT JOIN performance_realisation r
                ON r.indicator_id = i.id AND r.year = %s AND r.quarter = %s
            WHERE i.is_active AND p.start_year <= %s AND p.end_year >= %s
        ) AS figures
        GROUP BY 1, 2
    """


def _orm(band_list: list[Any]) -> Any:
    from django.db.models import Count, Q, Sum

    from sinergi.performance import achievement
    from sinergi.performance.figures import with_figures
    from sinergi.performance.models import Indicator

    indicators = Indicator.objects.filter(
        is_active=True, period__start_year__lte=YEAR, period__end_year__gte=YEAR
    )
    return (
        with_figures(indicators, year=YEAR, quarter=QUARTER)
        .annotate(band_id=achievement.band_case(band_list, "achievement"))
        .values_list("unit_id", "band_id")
        .annotate(
            n=Count("pk"),
            with_figure=Count("pk", filter=Q(achievement__isnull=False)),
            verified=Count("pk", filter=Q(r_verified=True)),
            total=Sum("achievement"),
        )
        .order_by()
    )


def _normalise(rows: Any) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        row = tuple(row)
        total = row[-1]
        out.append((*row[:-1], None if total is None else Decimal(total).quantize(Decimal("0.01"))))
    return sorted(out, key=repr)


def run(*, rows: int, runs: int, seed: int, log: Any = print) -> list[Any]:
    """`rows` is the registry scale of the other budgets; this one is fixed at 2,000 indicators
    (fewer below 100k rows, for quick runs while developing)."""
    from sinergi.performance.models import Band

    indicators = 2_000 if rows >= 100_000 else 400
    data = ensure_performance(indicators=indicators, log=log)
    band_list = list(Band.objects.filter(scheme="achievement"))
    from sinergi.performance import selectors

    band_ids = [b.pk for b in band_list]
    summary_sql = f"""
        SELECT s.unit_id, u.name, u.path, sum(s.indicators), sum(s.with_figure), sum(s.verified),
               sum(s.total), {", ".join(f"sum(s.indicators) FILTER (WHERE s.band_id = {pk})" for pk in band_ids)}
        FROM performance_achievementsummary s JOIN organisation_unit u ON u.id = s.unit_id
        WHERE s.year = %s AND s.quarter = %s
        GROUP BY s.unit_id, u.name, u.path ORDER BY u.path
    """
    summary = pages.compare_aggregate(
        code="P4",
        title=f"performance dashboard aggregate per unit ({indicators:,} indicators, summaries)",
        sql=summary_sql,
        params=[YEAR, QUARTER],
        orm=lambda: list(
            selectors.summary_rows(
                viewer=selectors.SYSTEM, year=YEAR, quarter=QUARTER, band_ids=band_ids
            )
        ),
        rows=indicators,
        runs=max(runs, 3),
        log=log,
    )
    live = pages.compare_aggregate(
        code="P4",
        title=f"performance: capaian per unit and band, {indicators:,} indicators (SQL)",
        sql=_raw_sql(band_list),
        params=[YEAR, QUARTER, YEAR, QUARTER, YEAR, YEAR],
        orm=lambda: list(_orm(band_list)),
        rows=indicators,
        runs=max(runs, 3),
        normalise=_normalise,
        log=log,
    )
    live.informational = True
    results: list[Any] = [summary, live]
    tree = pages.units()
    head = pages.session_cookie(pages.bench_user("head_of_office", tree.office, "bench-kadinsos"))
    upt_head = pages.session_cookie(
        pages.bench_user("head_of_upt", tree.upt_a, "bench-kepala-upt-kinerja")
    )
    with pages.serve() as server:
        results += pages.compare(
            server,
            code="P4",
            title=f"performance dashboard, province-wide ({indicators:,} indicators)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/kinerja/?tahun={YEAR}&triwulan={QUARTER}",
            cookie=head,
            users=16,
            runs=runs,
            max_p95_ms=50,
            log=log,
        )
        results += pages.compare(
            server,
            code="P4",
            title="performance, one UPT's indicators (unit-scoped)",
            reference=pages.REFERENCE_SMALL,
            measured=f"/kinerja/unit/{tree.upt_a.pk}/?tahun={YEAR}&triwulan={QUARTER}",
            cookie=upt_head,
            users=2,
            runs=runs,
            max_p95_ms=15,
            log=log,
        )
    del data
    return results
