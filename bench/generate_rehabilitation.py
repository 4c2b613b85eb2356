"""Rehabilitation data at the scale of issue 3 for the P5/P6 benchmarks, generated set-based.

    ensure_rehabilitation(clients=200_000, services_per_case=10)   # idempotent

28 UPT (the two of the test tree + 26 generated ones, shared with the budget generator's
`bench-upt-NN`), `clients` clients with valid NIKs and names from `bench.generate` (loaded with COPY),
one case per client spread over the UPT (20% open, in every stage; the rest closed), and
`services_per_case` service-log rows per case written with INSERT ... SELECT over generate_series
(2M rows at 200k clients). One open case of UPT A (`FOCUS_CASE`) gets a plan, notes, conferences
and 5,000 service rows: the case page must page them. Regenerated only when the counts differ.
"""

import contextlib
import random
import time
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

EXTRA_UPTS = 26
FOCUS_SERVICES = 5_000
TABLES = [
    "rehabilitation_serviceentry",
    "rehabilitation_progressnote",
    "rehabilitation_caseconference",
    "rehabilitation_plannedservice",
    "rehabilitation_plangoal",
    "rehabilitation_interventionplan",
    "rehabilitation_caseevent",
    "rehabilitation_case",
    "rehabilitation_client",
]


def upt_ids() -> list[int]:
    """Ids of the benchmark UPT: upt_a, upt_b and the generated `bench-upt-NN`."""
    from bench.pages import units
    from sinergi.organisation import services
    from sinergi.organisation.models import Unit, UnitType

    tree = units()
    kind = UnitType.objects.get(code="upt")
    wanted = [tree.upt_a, tree.upt_b]
    for number in range(1, EXTRA_UPTS + 1):
        code = f"bench-upt-{number:02d}"
        parent = tree.rehab_division if number % 2 else tree.empowerment_division
        unit = Unit.objects.filter(code=code).first() or services.unit_create(
            actor=None,
            code=code,
            name=f"UPT Uji {number}",
            unit_type=kind,
            parent=parent,
            upt_type=tree.upt_a.upt_type,
        )
        wanted.append(unit)
    return [u.pk for u in wanted]


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # fixed table names
        return int(cursor.fetchone()[0])


def _copy_clients(clients: int, seed: int) -> None:
    from bench.generate import generate_rows
    from sinergi.rehabilitation.models import PpksCategory, ReferralSource

    categories = list(PpksCategory.objects.values_list("pk", flat=True))
    sources = list(ReferralSource.objects.values_list("pk", flat=True))
    rng = random.Random(seed)
    sql = (
        "COPY rehabilitation_client (id, nik, no_nik_reason, kk_number, name, sex, birth_place, "
        "birth_on, address, village_id, regency_id, ppks_category_id, referral_source_id, "
        "guardian_name, guardian_relationship, guardian_phone, created_at, updated_at) FROM STDIN"
    )
    import uuid

    with (
        connection.cursor() as cursor,
        _bulk_load(cursor, "rehabilitation_client"),
        cursor.cursor.copy(sql) as copy,
    ):
        for nik, name, sex, born, village, phone in generate_rows(clients, seed):
            copy.write_row(
                (
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    nik,
                    "",
                    "",
                    name,
                    sex,
                    "",
                    born,
                    "Dusun Krajan",
                    village,
                    village[:5],
                    rng.choice(categories),
                    rng.choice(sources),
                    "",
                    "",
                    phone,
                    "2026-01-01 08:00+07",
                    "2026-01-01 08:00+07",
                )
            )


@contextlib.contextmanager
def _bulk_load(cursor: Any, table: str) -> Iterator[None]:
    """Drop the secondary indexes and the foreign keys of `table` for a bulk insert and build them
    again after it. Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: 2M inserted rows
    queue 2M row-by-row checks per key for the COMMIT (many minutes), where ADD CONSTRAINT checks
    the whole table with one join, and an index built once is a sort instead of 2M insertions.
    Primary and unique keys stay. Same transaction as the insert (DDL is transactional)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    keys = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in keys:  # names and definitions read from the catalogue
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _cases_and_services(units: list[int], services_per_case: int, worker_id: int) -> None:
    from sinergi.rehabilitation.models import ServiceType, Stage

    stages = list(Stage.objects.order_by("number").values_list("pk", flat=True))
    types = list(ServiceType.objects.order_by("number").values_list("pk", flat=True))
    with (
        connection.cursor() as cursor,
        _bulk_load(cursor, "rehabilitation_case"),
        _bulk_load(cursor, "rehabilitation_serviceentry"),
    ):
        # one case per client: UPT by row number, 20% open in every stage, the rest closed
        cursor.execute(
            """
            INSERT INTO rehabilitation_case (id, client_id, unit_id, social_worker_id, stage_id,
                status, admitted_on, stage_entered_at, version, destination_address,
                created_at, updated_at, closed_at, termination_on)
            SELECT md5(c.id::text)::uuid, c.id, (%(units)s::int[])[1 + (n %% %(u)s)::int],
                CASE WHEN n %% %(u)s = 0 AND n %% 5 = 0 THEN %(worker)s END,
                (%(stages)s::int[])[CASE WHEN n %% 5 = 0 THEN (1 + (n / 5) %% 6)::int ELSE 7 END],
                CASE WHEN n %% 5 = 0 THEN 'open' ELSE 'closed' END,
                DATE '2021-01-01' + (n %% 1800)::int, now(), 1, '', now(), now(),
                CASE WHEN n %% 5 = 0 THEN NULL ELSE now() - interval '30 days' END,
                CASE WHEN n %% 5 = 0 THEN NULL ELSE DATE '2021-01-01' + (n %% 1800)::int + 200 END
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM rehabilitation_client) c
            """,
            {"units": units, "u": len(units), "stages": stages, "worker": worker_id},
        )
        cursor.execute(
            """
            INSERT INTO rehabilitation_serviceentry (case_id, service_type_id, given_on,
                provider_id, provider_name, attendance, duration_minutes, notes, recorded_at)
            SELECT c.id, (%(types)s::int[])[1 + (g %% 11)], c.admitted_on + g * 3, NULL,
                'Pendamping UPT', CASE WHEN g %% 10 = 0 THEN 'absent' ELSE 'present' END,
                45, 'Sesi rutin', now()
            FROM rehabilitation_case c CROSS JOIN generate_series(1, %(n)s) g
            """,
            {"types": types, "n": services_per_case},
        )


def focus_case() -> Any:
    """The open case of UPT A with a plan and thousands of service rows (the P6 case page)."""
    from sinergi.rehabilitation.models import Case

    return (
        Case.objects.filter(
            unit__code="upt-rsbd-pasuruan", status="open", social_worker__isnull=False
        )
        .order_by("id")
        .first()
    )


def _focus(worker: Any) -> None:
    from sinergi.rehabilitation import services
    from sinergi.rehabilitation.models import Case, ServiceType, Stage

    case = focus_case()
    assert case is not None, "no open case in UPT A"
    Case.objects.filter(pk=case.pk).update(
        stage=Stage.objects.get(code="pemecahan-masalah"), admitted_on="2025-01-06"
    )
    case.refresh_from_db()
    fisik = ServiceType.objects.get(code="FISIK")
    services.plan_save(
        actor=None,
        case=case,
        expected_version=None,
        goals=[
            {"problem": f"Masalah {n}", "goal": f"Tujuan {n}", "indicator": f"Indikator {n}"}
            for n in range(1, 4)
        ],
        services=[
            {
                "service_type": fisik,
                "times": 3,
                "period": "week",
                "start_on": case.admitted_on,
                "target_on": case.admitted_on.replace(year=2026),
            }
        ],
    )
    for n in range(1, 31):
        services.progress_note_add(
            actor=worker, case=case, written_on=case.admitted_on, text=f"Catatan {n}"
        )
    with connection.cursor() as cursor:
        # a few thousand rows into the indexed table: the indexes stay (an earlier version dropped
        # them here and never built them again, so the case page measured a sequential scan)
        cursor.execute(
            """
            INSERT INTO rehabilitation_serviceentry (case_id, service_type_id, given_on,
                provider_id, provider_name, attendance, duration_minutes, notes, recorded_at)
            SELECT %(case)s, %(type)s, DATE '2025-01-06' + (g %% 600)::int, %(worker)s, '', 'present',
                30, 'Latihan', now()
            FROM generate_series(1, %(n)s) g
            """,
            {"case": case.pk, "type": fisik.pk, "worker": worker.pk, "n": FOCUS_SERVICES},
        )


def _restore_indexes(log: Any = print) -> None:
    """Build the declared indexes of the generated tables that are missing: a database filled by
    an earlier version of `_focus` lost the service log's (the case page read it sequentially)."""
    from django.apps import apps

    with connection.schema_editor() as editor, connection.cursor() as cursor:
        for table in TABLES:
            model = next(m for m in apps.get_models() if m._meta.db_table == table)
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
            present = {name for (name,) in cursor.fetchall()}
            for statement in editor._model_indexes_sql(model):
                name = str(statement.parts["name"]).strip('"')
                if name not in present:
                    log(f"  building the missing index {name}")
                    cursor.execute(str(statement))
            cursor.execute(f"ANALYZE {table}")


def ensure_rehabilitation(
    clients: int = 200_000,
    services_per_case: int = 10,
    seed: int = 35,
    log: Any = print,
) -> None:
    """Fill the rehabilitation tables at this scale unless they hold it already; vacuums and analyzes them."""
    from bench.pages import bench_user, units
    from sinergi.rehabilitation.testing import ensure_reference

    ensure_reference()
    wanted_services = clients * services_per_case + FOCUS_SERVICES
    if (
        _count("rehabilitation_client") == clients
        and _count("rehabilitation_serviceentry") == wanted_services
    ):
        _restore_indexes(log)
        return
    started = time.perf_counter()
    upts = upt_ids()
    worker = bench_user("social_worker", units().upt_a, username="bench-peksos-upt-a")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        _copy_clients(clients, seed)
        _cases_and_services(upts, services_per_case, worker.pk)
        _focus(worker)
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")  # also the visibility map: index-only scans
    log(
        f"rehabilitation: {clients:,} clients, {_count('rehabilitation_serviceentry'):,} service "
        f"rows in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    import argparse
    import os

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200_000)
    parser.add_argument("--services-per-case", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    ensure_rehabilitation(args.clients, args.services_per_case)
