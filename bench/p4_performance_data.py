"""Performance data at the scale of issue 7 for the P4 performance benchmark, generated set-based.

    ensure_performance(indicators=2_000)   # idempotent: regenerates only when the count differs

A Renstra 2025-2029 with 20 IKU of the office and the rest of `indicators` spread over 40 units
(the unit tree of the tests plus 35 generated UPT), every polarity represented; a target for each
year and quarter of the plan (indicators x 5 years x 5 periods) and a realisation for each quarter
(indicators x 5 years x 4 quarters, about 70% verified, achievements spread over every band).
Written with INSERT ... SELECT over generate_series, then the dashboard summaries are rebuilt and
the tables analysed.
"""

import time
from typing import Any

from django.db import connection, transaction

START, END = 2025, 2029
IKU = 20
UNITS = 40
PERIOD_NAME = "Renstra uji beban"


def _units() -> tuple[Any, list[int]]:
    """The office and the ids of the 40 units carrying the indicators."""
    from bench.pages import units
    from sinergi.organisation import services
    from sinergi.organisation.models import Unit, UnitType

    tree = units()
    upt = UnitType.objects.get(code="upt")
    wanted = [tree.secretariat, tree.rehab_division, tree.empowerment_division, tree.upt_a]
    wanted.append(tree.upt_b)
    for number in range(1, UNITS - len(wanted) + 1):
        code = f"bench-kinerja-upt-{number:02d}"
        unit = Unit.objects.filter(code=code).first() or services.unit_create(
            actor=None,
            code=code,
            name=f"UPT Kinerja Uji {number}",
            unit_type=upt,
            parent=tree.rehab_division if number % 2 else tree.empowerment_division,
            upt_type=tree.upt_a.upt_type,
        )
        wanted.append(unit)
    return tree.office, [u.pk for u in wanted]


def ensure_performance(*, indicators: int = 2_000, log: Any = print) -> dict[str, Any]:
    """Fill the tables (when the indicator count differs) and say what the benchmark needs."""
    from sinergi.performance.models import Indicator, RenstraPeriod
    from sinergi.performance.services import summaries_rebuild

    office, unit_ids = _units()
    period = RenstraPeriod.objects.filter(start_year=START).first()
    have = Indicator.objects.filter(period=period).count() if period else 0
    if have != indicators:
        started = time.perf_counter()
        with transaction.atomic():
            _generate(period, indicators, office.pk, unit_ids)
        period = RenstraPeriod.objects.get(start_year=START)
        rows = summaries_rebuild()
        with connection.cursor() as cursor:
            for table in ("indicator", "target", "realisation", "achievementsummary"):
                cursor.execute(f"ANALYZE performance_{table}")
        log(
            f"  P4 performance data: {indicators:,} indicators, {indicators * 25:,} targets, "
            f"{indicators * 20:,} realisations, {rows:,} summary rows in "
            f"{time.perf_counter() - started:.1f} s"
        )
    return {"office": office, "unit_ids": unit_ids, "period": period}


def _generate(period: Any, indicators: int, office_id: int, unit_ids: list[int]) -> None:
    from sinergi.performance.models import (
        AchievementSummary,
        Indicator,
        PerformanceAgreement,
        Realisation,
        RenstraPeriod,
        Target,
    )

    if period is not None:
        AchievementSummary.objects.all().delete()
        Realisation.objects.filter(indicator__period=period).delete()
        Target.objects.filter(indicator__period=period).delete()
        PerformanceAgreement.objects.all().delete()
        Indicator.sub_kegiatan.through.objects.filter(indicator__period=period).delete()
        Indicator.objects.filter(period=period).update(parent=None)
        Indicator.objects.filter(period=period).delete()
    else:
        period = RenstraPeriod.objects.create(name=PERIOD_NAME, start_year=START, end_year=END)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO performance_indicator (created_at, updated_at, period_id, objective_id,
                parent_id, unit_id, level, code, name, unit_of_measure, polarity, quarter_mode,
                data_source, formula, metric_code, is_active, sort_order)
            SELECT now(), now(), %(period)s, NULL, NULL,
                CASE WHEN g <= %(iku)s THEN %(office)s
                     ELSE (%(units)s::int[])[1 + (g %% %(unit_count)s)] END,
                CASE WHEN g <= %(iku)s THEN 'iku' ELSE 'unit' END,
                'B-' || lpad(g::text, 5, '0'), 'Indikator uji ' || g,
                '%%',
                CASE g %% 10 WHEN 0 THEN 'minimize' WHEN 1 THEN 'range' WHEN 2 THEN 'binary'
                     ELSE 'maximize' END,
                CASE WHEN g %% 4 = 0 THEN 'per_quarter' ELSE 'cumulative' END,
                '', '', '', true, g
            FROM generate_series(1, %(n)s) AS g
            """,
            {
                "period": period.pk,
                "iku": IKU,
                "office": office_id,
                "units": unit_ids,
                "unit_count": len(unit_ids),
                "n": indicators,
            },
        )
        cursor.execute(
            """
            INSERT INTO performance_target (created_at, updated_at, indicator_id, year, quarter,
                value, low, high, note)
            SELECT now(), now(), i.id, y, q,
                CASE WHEN i.polarity = 'range' THEN NULL
                     WHEN i.polarity = 'binary' THEN 1
                     ELSE (40 + i.id %% 60) * CASE WHEN q = 0 THEN 4 ELSE q END END,
                CASE WHEN i.polarity = 'range' THEN 60 END,
                CASE WHEN i.polarity = 'range' THEN 80 END,
                ''
            FROM performance_indicator i
            CROSS JOIN generate_series(%(start)s, %(end)s) AS y
            CROSS JOIN generate_series(0, 4) AS q
            WHERE i.period_id = %(period)s
            """,
            {"period": period.pk, "start": START, "end": END},
        )
        cursor.execute("SELECT setseed(0.35)")
        cursor.execute(
            """
            INSERT INTO performance_realisation (created_at, updated_at, indicator_id, year,
                quarter, value, evidence_text, evidence_file, evidence_link, automatic,
                entered_by_id, verified, verified_by_id, verified_at, verification_note)
            SELECT now(), now(), t.indicator_id, t.year, t.quarter,
                CASE WHEN i.polarity = 'binary' THEN (random() < 0.7)::int
                     WHEN i.polarity = 'range' THEN round((50 + random() * 40)::numeric, 2)
                     ELSE round((t.value * (0.4 + random() * 0.75))::numeric, 2) END,
                'Laporan unit', '', '', false, NULL, random() < 0.7, NULL, NULL, ''
            FROM performance_target t
            JOIN performance_indicator i ON i.id = t.indicator_id
            WHERE i.period_id = %(period)s AND t.quarter > 0
            """,
            {"period": period.pk},
        )
