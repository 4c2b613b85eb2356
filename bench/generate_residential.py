"""Residential data for the P4 occupancy benchmark, generated set-based on top of the rehabilitation
data of `bench.generate_rehabilitation` (28 UPT, 200k clients, one case per client, 20% open).

    ensure_residential()   # idempotent: regenerated only when the bed or residence counts differ

Each benchmark UPT gets rooms of 6 beds, 100 to 250 beds in all (about 4,900 beds); 90% of its beds
hold an open case (10% of them away on home leave), 40 more open cases wait for a bed, and every
closed case has an ended stay in a bed of its UPT with its admission and departure events: the
history (about 160k ended stays, 330k events) that the partial indexes of active rows must skip.
"""

import time
from typing import Any

from django.db import connection, transaction

BEDS_PER_ROOM = 6
OCCUPANCY = 0.9
WAITING_PER_UPT = 40
TABLES = [
    "rehabilitation_residenceevent",
    "rehabilitation_residence",
    "rehabilitation_waitinglistentry",
    "rehabilitation_bed",
    "rehabilitation_room",
]


def beds_of(index: int) -> int:
    """Beds of the index-th benchmark UPT: 100..250, varied."""
    return 100 + (index * 37) % 151


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # fixed table names
        return int(cursor.fetchone()[0])


def _expected_beds(units: list[int]) -> int:
    return sum(
        (beds_of(i) + BEDS_PER_ROOM - 1) // BEDS_PER_ROOM * BEDS_PER_ROOM for i in range(len(units))
    )


def _generate(units: list[int]) -> None:
    from sinergi.rehabilitation.models import MovementType

    leave = MovementType.objects.get(code="cuti-pulang").pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_upt ON COMMIT DROP AS
            SELECT u.unit_id, u.ord, 100 + ((u.ord - 1) * 37) %% 151 AS beds
            FROM unnest(%(units)s::int[]) WITH ORDINALITY AS u(unit_id, ord)
            """,
            {"units": units},
        )
        cursor.execute(
            """
            INSERT INTO rehabilitation_room (unit_id, wisma, name, notes, created_at, updated_at)
            SELECT b.unit_id, 'Wisma ' || (1 + (r - 1) / 5), 'Kamar ' || r, '', now(), now()
            FROM bench_upt b CROSS JOIN LATERAL
                generate_series(1, (b.beds + %(per)s - 1) / %(per)s) r
            """,
            {"per": BEDS_PER_ROOM},
        )
        cursor.execute(
            """
            INSERT INTO rehabilitation_bed (room_id, unit_id, label, is_active, created_at,
                updated_at)
            SELECT r.id, r.unit_id, g::text, true, now(), now()
            FROM rehabilitation_room r CROSS JOIN generate_series(1, %(per)s) g
            WHERE r.unit_id = ANY(%(units)s)
            """,
            {"per": BEDS_PER_ROOM, "units": units},
        )
        # numbered beds and open cases per UPT: the first 90% of the beds hold the first cases
        cursor.execute(
            """
            CREATE TEMP TABLE bench_bed ON COMMIT DROP AS
            SELECT id, unit_id, row_number() OVER (PARTITION BY unit_id ORDER BY id) AS n,
                count(*) OVER (PARTITION BY unit_id) AS total
            FROM rehabilitation_bed WHERE unit_id = ANY(%(units)s)
            """,
            {"units": units},
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_open ON COMMIT DROP AS
            SELECT id, unit_id, admitted_on,
                row_number() OVER (PARTITION BY unit_id ORDER BY id) AS n
            FROM rehabilitation_case
            WHERE status = 'open' AND termination_on IS NULL AND unit_id = ANY(%(units)s)
            """,
            {"units": units},
        )
        cursor.execute(
            """
            INSERT INTO rehabilitation_residence (case_id, unit_id, bed_id, started_on, ended_on,
                end_reason, is_away, away_type_id, created_at, updated_at)
            SELECT o.id, o.unit_id, b.id, o.admitted_on, NULL, '', o.n %% 10 = 0,
                CASE WHEN o.n %% 10 = 0 THEN %(leave)s END, now(), now()
            FROM bench_open o JOIN bench_bed b ON b.unit_id = o.unit_id AND b.n = o.n
            WHERE o.n <= floor(b.total * %(occupancy)s)
            """,
            {"leave": leave, "occupancy": OCCUPANCY},
        )
        cursor.execute(
            """
            INSERT INTO rehabilitation_waitinglistentry (case_id, unit_id, requested_on, priority,
                note, status, cancel_reason, closed_at, added_by_id, created_at, updated_at)
            SELECT o.id, o.unit_id, o.admitted_on, 1 + o.n %% 3, '', 'waiting', '', NULL, NULL,
                now(), now()
            FROM bench_open o JOIN (SELECT unit_id, max(total) AS total FROM bench_bed
                GROUP BY unit_id) t ON t.unit_id = o.unit_id
            WHERE o.n > floor(t.total * %(occupancy)s)
                AND o.n <= floor(t.total * %(occupancy)s) + %(waiting)s
            """,
            {"occupancy": OCCUPANCY, "waiting": WAITING_PER_UPT},
        )
        # history: every closed case stayed in a bed of its UPT from admission to termination
        cursor.execute(
            """
            INSERT INTO rehabilitation_residence (case_id, unit_id, bed_id, started_on, ended_on,
                end_reason, is_away, away_type_id, created_at, updated_at)
            SELECT c.id, c.unit_id, b.id, c.admitted_on, c.termination_on, 'discharged', false,
                NULL, now(), now()
            FROM (SELECT id, unit_id, admitted_on, termination_on,
                    row_number() OVER (PARTITION BY unit_id ORDER BY id) AS n
                  FROM rehabilitation_case
                  WHERE status = 'closed' AND termination_on IS NOT NULL
                    AND unit_id = ANY(%(units)s)) c
            JOIN bench_bed b ON b.unit_id = c.unit_id AND b.n = 1 + c.n %% b.total
            """,
            {"units": units},
        )
        columns = (
            "INSERT INTO rehabilitation_residenceevent (residence_id, kind, movement_type_id, "
            "occurred_on, from_bed_id, to_bed_id, note, actor_id, at) "
        )
        cursor.execute(
            columns + "SELECT id, 'admitted', NULL, started_on, NULL, bed_id, '', NULL, now() "
            "FROM rehabilitation_residence"
        )
        cursor.execute(
            columns + "SELECT id, 'ended', NULL, ended_on, bed_id, NULL, '', NULL, now() "
            "FROM rehabilitation_residence WHERE ended_on IS NOT NULL"
        )
        cursor.execute(
            columns + "SELECT id, 'movement', away_type_id, started_on, NULL, NULL, '', NULL, "
            "now() FROM rehabilitation_residence WHERE is_away"
        )


def ensure_residential(log: Any = print) -> list[int]:
    """Fill the residential tables of the benchmark UPT unless they hold it already; returns the
    UPT ids. Needs `ensure_rehabilitation()` first (the cases)."""
    from bench.generate_rehabilitation import upt_ids
    from sinergi.rehabilitation.services.residential import movement_types_load

    movement_types_load(actor=None)
    units = upt_ids()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM rehabilitation_case WHERE status = 'closed' "
            "AND termination_on IS NOT NULL AND unit_id = ANY(%s)",
            [units],
        )
        closed = int(cursor.fetchone()[0])
    if _count("rehabilitation_bed") == _expected_beds(units) and (
        _count("rehabilitation_residence") > closed
    ):
        return units
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        _generate(units)
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")
    log(
        f"residential: {_count('rehabilitation_bed'):,} beds, "
        f"{_count('rehabilitation_residence'):,} stays, "
        f"{_count('rehabilitation_residenceevent'):,} events in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return units
