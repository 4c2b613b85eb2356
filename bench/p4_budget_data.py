"""Budget data at the scale of issue 4 for the P2/P4/P5 budget benchmarks, generated set-based.

    ensure_budget(lines=20_000, sp2d=500_000)   # idempotent: regenerates only when counts differ

Fiscal year 2026 of a Jawa Timur-sized office: the unit tree of the tests plus 6 Bidang and 40 UPT
(46 KPA units), 5 programs, 50 kegiatan, 500 sub kegiatan and `lines` rekening lines spread over
the units, 12 cash-plan months per line (240k cells at 20k lines; 2% of the lines do not add up to
their pagu), `sp2d` SP2D with one allocation each from January to August (about 46% absorbed, some
units far behind), milestones 60% / 31 August and 70% / 30 September and 40 provincial offices.
Everything is written with INSERT ... SELECT over generate_series (a few seconds for 500k SP2D),
then the absorption summaries are rebuilt and the tables analysed.
"""

import time
from typing import Any

from django.db import connection, transaction

YEAR = 2026
PROGRAMS = 5
KEGIATAN = 50
SUB_KEGIATAN = 500
EXTRA_DIVISIONS = 6
EXTRA_UPTS = 40


def _units() -> list[int]:
    """Ids of the KPA units: the test tree's divisions and UPT plus the generated ones."""
    from bench.pages import units
    from sinergi.organisation import services
    from sinergi.organisation.models import Unit, UnitType

    tree = units()
    kinds = {t.code: t for t in UnitType.objects.filter(code__in=["bidang", "upt"])}
    wanted = [tree.secretariat, tree.rehab_division, tree.empowerment_division, tree.upt_a]
    wanted.append(tree.upt_b)
    for number in range(1, EXTRA_DIVISIONS + 1):
        code = f"bench-bidang-{number:02d}"
        unit = Unit.objects.filter(code=code).first() or services.unit_create(
            actor=None,
            code=code,
            name=f"Bidang Uji {number}",
            unit_type=kinds["bidang"],
            parent=tree.office,
        )
        wanted.append(unit)
    for number in range(1, EXTRA_UPTS + 1):
        code = f"bench-upt-{number:02d}"
        parent = tree.rehab_division if number % 2 else tree.empowerment_division
        unit = Unit.objects.filter(code=code).first() or services.unit_create(
            actor=None,
            code=code,
            name=f"UPT Uji {number}",
            unit_type=kinds["upt"],
            parent=parent,
            upt_type=tree.upt_a.upt_type,
        )
        wanted.append(unit)
    return [u.pk for u in wanted]


def _counts(year_id: int) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM budget_budgetline WHERE fiscal_year_id = %s", [year_id]
        )
        lines = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM budget_realisation WHERE fiscal_year_id = %s", [year_id]
        )
        sp2d = cursor.fetchone()[0]
    return int(lines), int(sp2d)


def _wipe(cursor: Any, year_id: int) -> None:
    lines = "SELECT id FROM budget_budgetline WHERE fiscal_year_id = %s"
    for sql in (
        f"DELETE FROM budget_realisationallocation WHERE line_id IN ({lines})",
        "DELETE FROM budget_realisation WHERE fiscal_year_id = %s",
        f"DELETE FROM budget_cashplan WHERE line_id IN ({lines})",
        f"DELETE FROM budget_budgetrevision WHERE line_id IN ({lines})",
        "DELETE FROM budget_budgetline WHERE fiscal_year_id = %s",
        "DELETE FROM budget_physicalprogress WHERE sub_kegiatan_id IN "
        "(SELECT id FROM budget_subkegiatan WHERE fiscal_year_id = %s)",
        "DELETE FROM budget_subkegiatan WHERE fiscal_year_id = %s",
        "DELETE FROM budget_kegiatan WHERE fiscal_year_id = %s",
        "DELETE FROM budget_program WHERE fiscal_year_id = %s",
        "DELETE FROM budget_milestone WHERE fiscal_year_id = %s",
        "DELETE FROM budget_provincialoffice WHERE fiscal_year_id = %s",
    ):
        cursor.execute(sql, [year_id])


def ensure_budget(*, lines: int = 20_000, sp2d: int = 500_000, log: Any = print) -> dict[str, Any]:
    """The bench fiscal year with `lines` lines and `sp2d` SP2D (generated when the counts differ).
    Returns {"year": FiscalYear, "units": [unit ids]}."""
    from sinergi.budget import services
    from sinergi.budget.models import FiscalYear

    unit_ids = _units()
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=YEAR)
    if fiscal_year.status != FiscalYear.Status.OPEN:
        fiscal_year.status = FiscalYear.Status.OPEN
        fiscal_year.save(update_fields=["status"])
    if _counts(fiscal_year.pk) == (lines, sp2d):
        return {"year": fiscal_year, "units": unit_ids}
    started = time.perf_counter()
    y = fiscal_year.pk
    with transaction.atomic(), connection.cursor() as cursor:
        _wipe(cursor, y)
        cursor.execute(
            "INSERT INTO budget_program (created_at, updated_at, fiscal_year_id, code, name) "
            "SELECT now(), now(), %s, '1.06.0' || p, 'Program Uji ' || p "
            "FROM generate_series(1, %s) p",
            [y, PROGRAMS],
        )
        cursor.execute(
            "INSERT INTO budget_kegiatan (created_at, updated_at, fiscal_year_id, program_id, "
            "code, name) SELECT now(), now(), %s, p.id, p.code || '.1.' || lpad(k::text, 2, '0'), "
            "'Kegiatan Uji ' || k FROM generate_series(1, %s) k "
            "JOIN budget_program p ON p.fiscal_year_id = %s AND p.code = '1.06.0' || (1 + k %% %s)",
            [y, KEGIATAN, y, PROGRAMS],
        )
        cursor.execute(
            "INSERT INTO budget_subkegiatan (created_at, updated_at, fiscal_year_id, kegiatan_id, "
            "code, name) SELECT now(), now(), %s, k.id, k.code || '.' || lpad(s::text, 4, '0'), "
            "'Sub Kegiatan Uji ' || s FROM generate_series(1, %s) s "
            "JOIN (SELECT id, code, row_number() OVER (ORDER BY id) - 1 AS n "
            "      FROM budget_kegiatan WHERE fiscal_year_id = %s) k ON k.n = s %% %s",
            [y, SUB_KEGIATAN, y, KEGIATAN],
        )
        # Line i: sub kegiatan i % 500, unit i % units, account number i / 500 (unique per sub).
        cursor.execute(
            "INSERT INTO budget_budgetline (created_at, updated_at, fiscal_year_id, "
            "sub_kegiatan_id, account_code, account_name, account_class, unit_id, pptk_name, pagu) "
            "SELECT now(), now(), %(y)s, s.id, "
            "'5.1.0' || (2 + i %% 3) || '.01.01.' || lpad((i / %(subs)s)::text, 4, '0'), "
            "'Belanja Uji ' || i, '5.1.0' || (2 + i %% 3), "
            "(%(units)s::bigint[])[1 + (i / 7) %% %(unit_count)s], 'PPTK Uji', "
            "(10000000 + (i * 7919) %% 500 * 1000000)::numeric "
            "FROM generate_series(0, %(lines)s - 1) i "
            "JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM budget_subkegiatan "
            "      WHERE fiscal_year_id = %(y)s) s ON s.n = i %% %(subs)s",
            {
                "y": y,
                "subs": SUB_KEGIATAN,
                "units": unit_ids,
                "unit_count": len(unit_ids),
                "lines": lines,
            },
        )
        cursor.execute(
            "INSERT INTO budget_budgetrevision (created_at, updated_at, line_id, kind, old_pagu, "
            "new_pagu, revised_on, reference, reason) SELECT now(), now(), id, 'initial', 0, pagu, "
            "%s, 'DPA', '' FROM budget_budgetline WHERE fiscal_year_id = %s",
            [fiscal_year.starts_on, y],
        )
        # Cash plan: pagu / 12 a month, December takes the rest; every 50th line plans 90%.
        cursor.execute(
            "INSERT INTO budget_cashplan (created_at, updated_at, line_id, month, amount) "
            "SELECT now(), now(), l.id, m, CASE WHEN m < 12 THEN round(l.pagu / 12, 2) "
            "ELSE l.pagu - 11 * round(l.pagu / 12, 2) END * CASE WHEN l.id %% 50 = 0 THEN 0.9 "
            "ELSE 1 END FROM budget_budgetline l CROSS JOIN generate_series(1, 12) m "
            "WHERE l.fiscal_year_id = %s",
            [y],
        )
        # SP2D n charges line n % lines in month 1 + n % 8; each line gets sp2d/lines SP2D worth
        # together `pace` of its pagu: 0.50 for most units, 0.20 for every 7th unit.
        cursor.execute(
            "CREATE TEMP TABLE bench_sp2d ON COMMIT DROP AS "
            "SELECT n, l.id AS line_id, make_date(%(year)s, 1 + n %% 8, 1 + (n / 8) %% 28) AS "
            "paid_on, round(l.pagu * CASE WHEN l.unit_id %% 7 = 0 THEN 0.20 ELSE 0.50 END "
            "/ ceil(%(sp2d)s::numeric / %(lines)s), 2) AS amount "
            "FROM generate_series(0, %(sp2d)s - 1) n "
            "JOIN (SELECT id, pagu, unit_id, row_number() OVER (ORDER BY id) - 1 AS k "
            "      FROM budget_budgetline WHERE fiscal_year_id = %(y)s) l ON l.k = n %% %(lines)s",
            {"year": YEAR, "sp2d": sp2d, "lines": lines, "y": y},
        )
        cursor.execute(
            "INSERT INTO budget_realisation (created_at, updated_at, fiscal_year_id, sp2d_number, "
            "paid_on, sp2d_type, amount, description) SELECT now(), now(), %s, "
            "lpad(n::text, 6, '0') || '/SP2D/LS/2026', paid_on, "
            "(ARRAY['LS','GU','UP','TU'])[1 + n %% 4], amount, 'SP2D uji' FROM bench_sp2d",
            [y],
        )
        cursor.execute(
            "INSERT INTO budget_realisationallocation (realisation_id, line_id, paid_on, amount) "
            "SELECT r.id, s.line_id, s.paid_on, s.amount FROM bench_sp2d s "
            "JOIN budget_realisation r ON r.fiscal_year_id = %s "
            "AND r.sp2d_number = lpad(s.n::text, 6, '0') || '/SP2D/LS/2026'",
            [y],
        )
        cursor.execute(
            "INSERT INTO budget_milestone (created_at, updated_at, fiscal_year_id, due_on, "
            "target_percent, source) VALUES (now(), now(), %s, %s, 60, 'bench'), "
            "(now(), now(), %s, %s, 70, 'bench')",
            [y, f"{YEAR}-08-31", y, f"{YEAR}-09-30"],
        )
        cursor.execute(
            "INSERT INTO budget_provincialoffice (created_at, updated_at, fiscal_year_id, month, "
            "office_name, pagu, realisation, is_own_office) SELECT now(), now(), %s, 8, "
            "CASE WHEN o = 1 THEN 'Dinas Sosial' ELSE 'Perangkat Daerah ' || o END, "
            "1000000000::numeric * o, 1000000000::numeric * o * (0.4 + (o %% 10) / 20.0), o = 1 "
            "FROM generate_series(1, 40) o",
            [y],
        )
        if hasattr(services, "summaries_rebuild"):
            services.summaries_rebuild(fiscal_year=fiscal_year)
    with connection.cursor() as cursor:
        for table in (
            "budget_budgetline",
            "budget_cashplan",
            "budget_realisation",
            "budget_realisationallocation",
        ):
            cursor.execute(f"ANALYZE {table}")
    log(
        f"  budget {YEAR}: {lines:,} lines, {lines * 12:,} cash-plan cells, {sp2d:,} SP2D "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    return {"year": fiscal_year, "units": unit_ids}
