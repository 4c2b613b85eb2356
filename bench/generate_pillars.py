"""Social pillar members at the scale of issue 6 for the P3/P5/P9 pillars benchmarks, set-based.

    ensure_pillars(members=100_000)   # idempotent: regenerates only when the count differs

`members` members managed by the test tree's empowerment division, spread over every kecamatan of
Jawa Timur (loaded by bench/run.py's set-up), a third each Tagana, pendamping PKH Plus and PSM
(none district-exclusive, so the one-TKSK-per-kecamatan index is not involved), all active from
2024 with a ready Bank Jatim account whose holder is the member's name; plus the aid scheme
`bench-bop` with a 2025 rate for each of the three types. One INSERT ... SELECT over
generate_series, then ANALYZE. PostgreSQL only. Cycles of the scheme are removed first (the
benchmarks make their own).
"""

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.db import connection

from bench.names import FEMALE_FIRST, LAST, MALE_FIRST

SCHEME = "bench-bop"
TYPES = {
    "tagana": Decimal("750000"),
    "pendamping-pkh-plus": Decimal("900000"),
    "psm": Decimal("500000"),
}
BANK = "114"

MEMBERS_SQL = """
WITH d AS (
    SELECT code, parent_id, row_number() OVER (ORDER BY code) AS ord
    FROM organisation_region WHERE level = 3 AND code LIKE '35.%%'
), n AS (SELECT count(*) AS c FROM d),
g AS (SELECT i FROM generate_series(1, %(n)s) i),
people AS (
    SELECT g.i,
        CASE WHEN g.i %% 2 = 0 THEN (%(male)s::text[])[1 + (g.i / 2) %% %(n_male)s]
             ELSE (%(female)s::text[])[1 + (g.i / 2) %% %(n_female)s] END
            || ' ' || (%(last)s::text[])[1 + (g.i * 31) %% %(n_last)s] AS name,
        (SELECT d.code FROM d WHERE d.ord = 1 + g.i %% n.c) AS district
    FROM g CROSS JOIN n
)
INSERT INTO pillars_member (created_at, updated_at, pillar_type_id, role, nik, name, sex, born_on,
    phone, email, regency_id, district_id, unit_id, member_number, decree_number, decree_on,
    active_from, active_until, status, status_reason, bank_id, account_number, account_holder,
    holder_confirmed_by_id, holder_confirmed_at, account_ready, district_exclusive, employee_id)
SELECT now(), now(), (%(types)s::bigint[])[1 + p.i %% 3], 'member',
    replace(p.district, '.', '') || lpad((p.i %% 10000000000)::text, 10, '0'),
    p.name, CASE WHEN p.i %% 2 = 0 THEN 'L' ELSE 'P' END,
    date '1970-01-01' + (p.i %% 12000), '', '', left(p.district, 5), p.district, %(unit)s, '',
    'SK ' || p.i, NULL, date '2024-01-01', NULL, 'active', '', %(bank)s,
    lpad(p.i::text, 10, '0'), p.name, NULL, NULL, true, false, NULL
FROM people p ORDER BY p.i
"""


def _count(unit_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pillars_member WHERE unit_id = %s", [unit_id])
        return int(cursor.fetchone()[0])


def clear_cycles(scheme: Any) -> None:
    """Remove every cycle of the bench scheme (entitlements, failures, results, summaries,
    batches)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM pillars_entitlementfailure WHERE entitlement_id IN "
            "(SELECT id FROM pillars_entitlement WHERE scheme_id = %s)",
            [scheme.pk],
        )
        cursor.execute("DELETE FROM pillars_entitlement WHERE scheme_id = %s", [scheme.pk])
        for table in (
            "pillars_nominativedocument",
            "pillars_resultimport",
            "pillars_batchsummary",
        ):
            cursor.execute(
                f"DELETE FROM {table} WHERE batch_id IN (SELECT b.id FROM pillars_batch b "
                "JOIN pillars_cycle c ON c.id = b.cycle_id WHERE c.scheme_id = %s)",
                [scheme.pk],
            )
        cursor.execute(
            "DELETE FROM pillars_batch WHERE cycle_id IN "
            "(SELECT id FROM pillars_cycle WHERE scheme_id = %s)",
            [scheme.pk],
        )
        cursor.execute("DELETE FROM pillars_cycle WHERE scheme_id = %s", [scheme.pk])


def ensure_scheme() -> Any:
    from sinergi.pillars import services
    from sinergi.pillars.models import AidRate, AidScheme, PillarType

    scheme, _created = AidScheme.objects.get_or_create(
        code=SCHEME, defaults={"name": "Bantuan operasional (uji beban)", "short_name": "BOP UJI"}
    )
    for code, amount in TYPES.items():
        pillar_type = PillarType.objects.get(code=code)
        if not AidRate.objects.filter(scheme=scheme, pillar_type=pillar_type).exists():
            services.rate_add(
                actor=None,
                scheme=scheme,
                pillar_type=pillar_type,
                amount=amount,
                effective_from=dt.date(2025, 1, 1),
                source="bench",
            )
    return scheme


def ensure_pillars(members: int = 100_000, log: Any = print) -> dict[str, Any]:
    from bench.pages import units
    from sinergi.pillars.models import Bank, PillarType

    tree = units()
    unit = tree.empowerment_division
    scheme = ensure_scheme()
    clear_cycles(scheme)
    if _count(unit.pk) != members:
        started = time.perf_counter()
        types = [PillarType.objects.get(code=code).pk for code in TYPES]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM pillars_training")
            cursor.execute("DELETE FROM pillars_entitlementfailure")
            cursor.execute("DELETE FROM pillars_entitlement")
            cursor.execute("DELETE FROM pillars_member")
            cursor.execute(
                MEMBERS_SQL,
                {
                    "n": members,
                    "male": list(MALE_FIRST),
                    "female": list(FEMALE_FIRST),
                    "last": list(LAST),
                    "n_male": len(MALE_FIRST),
                    "n_female": len(FEMALE_FIRST),
                    "n_last": len(LAST),
                    "types": types,
                    "unit": unit.pk,
                    "bank": Bank.objects.get(code=BANK).pk,
                },
            )
            cursor.execute("ANALYZE pillars_member")
        log(f"  {members:,} pillar members generated in {time.perf_counter() - started:.1f} s")
    return {"scheme": scheme, "unit": unit, "tree": tree}
