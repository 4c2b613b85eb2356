"""Staff and SKP data at the scale of issue 5 for the P4/P5 staff benchmarks, generated set-based.

    ensure_staff(employees=1_400)    # idempotent: regenerates only when the counts differ
    ensure_staff(employees=14_000)   # ten times the office

The unit tree of the tests plus 6 Bidang and 40 UPT (the same bench units as the budget data), and
`employees` employees spread over them: the head of office, a head per unit, three sub-heads per unit
under it and the staff under the sub-heads (a four-level supervisor chain), valid 18-digit NIPs
(unique up to 14,600 employees), 5% non-ASN (no NIP, no SKP). Every PNS/PPPK employee has an
approved SKP of `YEAR` with 5 RHK (one indicator each) and a submission for each of the 12 months
with the realisation of every RHK (so 1,400 employees make ~16k submissions and ~80k
realisations): most on time, 2.5% missing and 8% late, and in every seventh unit 10% missing and
35% late. Everything is INSERT ... SELECT over generate_series with a hash for the dice (the same
data every time), then the compliance summaries are rebuilt and the tables analysed. PostgreSQL only.
"""

import time
from typing import Any

from django.db import connection, transaction

from bench.names import FEMALE_FIRST, LAST, MALE_FIRST

YEAR = 2025
RHK_PER_SKP = 5
EXTRA_DIVISIONS = 6
EXTRA_UPTS = 40
SUB_HEADS = 3


def bench_units() -> list[Any]:
    """The units employees work in: the test tree's secretariat, divisions and UPT plus 6 Bidang
    and 40 UPT (created when missing, same codes as bench.p4_budget_data)."""
    from bench.pages import units
    from sinergi.organisation import services
    from sinergi.organisation.models import Unit, UnitType

    tree = units()
    kinds = {t.code: t for t in UnitType.objects.filter(code__in=["bidang", "upt"])}
    wanted = [tree.secretariat, tree.rehab_division, tree.empowerment_division, tree.upt_a]
    wanted.append(tree.upt_b)
    for number in range(1, EXTRA_DIVISIONS + 1):
        code = f"bench-bidang-{number:02d}"
        wanted.append(
            Unit.objects.filter(code=code).first()
            or services.unit_create(
                actor=None,
                code=code,
                name=f"Bidang Uji {number}",
                unit_type=kinds["bidang"],
                parent=tree.office,
            )
        )
    for number in range(1, EXTRA_UPTS + 1):
        code = f"bench-upt-{number:02d}"
        wanted.append(
            Unit.objects.filter(code=code).first()
            or services.unit_create(
                actor=None,
                code=code,
                name=f"UPT Uji {number}",
                unit_type=kinds["upt"],
                parent=tree.rehab_division if number % 2 else tree.empowerment_division,
                upt_type=tree.upt_a.upt_type,
            )
        )
    return wanted


def _counts() -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM staff_employee")
        employees = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM staff_monthlysubmission WHERE year = %s", [YEAR])
        submissions = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM staff_monthlyrealisation")
        realisations = cursor.fetchone()[0]
    return int(employees), int(submissions), int(realisations)


WIPE = [
    "DELETE FROM staff_monthlyrealisation",
    "DELETE FROM staff_monthlysubmission",
    "DELETE FROM staff_monthclosure",
    "DELETE FROM staff_evaluation",
    "DELETE FROM staff_rhkindicator",
    "UPDATE staff_rhk SET parent_id = NULL",
    "DELETE FROM staff_rhk",
    "DELETE FROM staff_skp",
    "UPDATE staff_employee SET supervisor_id = NULL",
    "DELETE FROM staff_employee",
]

# Employee number i (1..n) -> a NIP: birth date from i * 7919 mod 14600 days after 1 January 1960
# (7919 is prime to 14600, so unique up to 14,600 employees), appointed 20-24 years later, sex and
# serial from i. Position 1 is the head of office, 2..units+1 the unit heads, then the sub-heads,
# then the staff.
EMPLOYEES_SQL = """
WITH u AS (
    SELECT unit_id, ord FROM unnest(%(units)s::bigint[]) WITH ORDINALITY AS t(unit_id, ord)
), n AS (SELECT count(*) AS units FROM u),
g AS (
    SELECT i, date '1960-01-01' + ((i * 7919) %% 14600)::int AS birth FROM generate_series(1, %(n)s) i
)
INSERT INTO staff_employee (nip, name, employment_type, rank_id, position, unit_id, supervisor_id,
                            user_id, email, active_from, active_until, created_at, updated_at)
SELECT
    CASE WHEN g.i > 1 + n.units * 4 AND g.i %% 20 = 0 THEN NULL ELSE
        to_char(g.birth, 'YYYYMMDD')
        || lpad((extract(year FROM g.birth)::int + 20 + g.i %% 5)::text, 4, '0')
        || lpad((1 + g.i %% 12)::text, 2, '0')
        || (1 + g.i %% 2)::text
        || lpad((1 + g.i %% 999)::text, 3, '0') END,
    CASE WHEN g.i %% 2 = 0 THEN (%(male)s::text[])[1 + (g.i / 2) %% %(n_male)s]
         ELSE (%(female)s::text[])[1 + (g.i / 2) %% %(n_female)s] END
        || ' ' || (%(last)s::text[])[1 + (g.i * 31) %% %(n_last)s],
    CASE WHEN g.i > 1 + n.units * 4 AND g.i %% 20 = 0 THEN 'non_asn' ELSE 'pns' END,
    NULL,
    CASE WHEN g.i = 1 THEN 'Kepala Dinas' WHEN g.i <= 1 + n.units THEN 'Kepala Unit'
         WHEN g.i <= 1 + n.units * 4 THEN 'Kepala Seksi' ELSE 'Pelaksana' END,
    CASE WHEN g.i = 1 THEN %(office)s
         ELSE (SELECT unit_id FROM u WHERE u.ord = 1 + (g.i - 2) %% n.units) END,
    NULL, NULL, '', date '2015-01-01', NULL, now(), now()
FROM g CROSS JOIN n
ORDER BY g.i
"""

SKP_SQL = """
INSERT INTO staff_skp (employee_id, year, period_start, period_end, status, revision,
                       return_note, submitted_at, approved_at, approved_by_id, version,
                       created_at, updated_at)
SELECT id, %(year)s, make_date(%(year)s, 1, 1), make_date(%(year)s, 12, 31), 'approved', 0, '',
       make_timestamptz(%(year)s, 1, 15, 9, 0, 0), make_timestamptz(%(year)s, 1, 20, 9, 0, 0),
       NULL, 0, now(), now()
FROM staff_employee WHERE employment_type <> 'non_asn'
"""

RHK_SQL = """
INSERT INTO staff_rhk (skp_id, number, kind, title, parent_id, created_at, updated_at)
SELECT s.id, k, 'main', 'Hasil kerja ' || k || ' tahun ' || s.year, NULL, now(), now()
FROM staff_skp s CROSS JOIN generate_series(1, %(rhks)s) k WHERE s.year = %(year)s
"""

INDICATOR_SQL = """
INSERT INTO staff_rhkindicator (rhk_id, aspect, description, target)
SELECT r.id, 'quantity', 'Jumlah dokumen', '12 dokumen'
FROM staff_rhk r JOIN staff_skp s ON s.id = r.skp_id WHERE s.year = %(year)s
"""

# The dice: a hash of (employee, month) in 0..999; units whose position is a multiple of 7 are
# "often late". Due on the 5th of the following month; late ones 1-9 days after, others 0-6 before.
SUBMISSION_SQL = """
WITH dice AS (
    SELECT s.id AS skp_id, s.employee_id, m,
           (abs(hashtext(s.employee_id::text || '-' || m::text)) %% 1000) AS roll,
           (make_date(%(year)s, m, 1) + interval '1 month' + interval '4 days')::date AS due,
           (e.unit_id %% 7 = 0) AS often_late
    FROM staff_skp s JOIN staff_employee e ON e.id = s.employee_id
    CROSS JOIN generate_series(1, 12) m
    WHERE s.year = %(year)s
), judged AS (
    SELECT *, CASE WHEN often_late THEN roll < 100 ELSE roll < 25 END AS missing,
              CASE WHEN often_late THEN roll < 450 ELSE roll < 105 END AS late_or_missing
    FROM dice
)
INSERT INTO staff_monthlysubmission (employee_id, skp_id, year, month, status, due_on,
                                     submitted_at, on_time, created_at, updated_at)
SELECT employee_id, skp_id, %(year)s, m, 'submitted', due,
       ((CASE WHEN late_or_missing THEN due + (1 + roll %% 9) ELSE due - roll %% 7 END)
           + time '09:00') AT TIME ZONE 'Asia/Jakarta',
       NOT late_or_missing, now(), now()
FROM judged WHERE NOT missing
"""

REALISATION_SQL = """
INSERT INTO staff_monthlyrealisation (submission_id, rhk_id, realisation, evidence_text,
                                      evidence_link, evidence_file, evidence_file_name,
                                      evidence_file_type, evidence_file_size, created_at,
                                      updated_at)
SELECT s.id, r.id, 'Terlaksana sesuai rencana', 'Laporan bulanan', '', '', '', '', NULL, now(),
       now()
FROM staff_monthlysubmission s JOIN staff_rhk r ON r.skp_id = s.skp_id
WHERE s.year = %(year)s
"""

SUPERVISORS_SQL = """
WITH n AS (SELECT %(units)s::int AS units),
ranked AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM staff_employee)
UPDATE staff_employee e SET supervisor_id = CASE
        WHEN r.i <= 1 + n.units THEN (SELECT id FROM ranked WHERE i = 1)
        WHEN r.i <= 1 + n.units * 4 THEN (SELECT id FROM ranked WHERE i = 2 + (r.i - 2) %% n.units)
        ELSE (SELECT id FROM ranked WHERE i = 2 + n.units + (r.i - 2) %% (n.units * 3)) END
FROM ranked r CROSS JOIN n
WHERE r.id = e.id AND r.i > 1
"""


def ensure_staff(*, employees: int = 1_400, log: Any = print) -> dict[str, Any]:
    """The staff data at `employees` (regenerated when the counts differ); returns the year, the
    unit ids and the counts."""
    from sinergi.organisation.models import Unit

    if connection.vendor != "postgresql":
        raise SystemExit("The staff bench data needs PostgreSQL.")
    unit_list = bench_units()
    office = Unit.objects.get(code="dinsos")
    if employees < 1 + len(unit_list) * (1 + SUB_HEADS) + 1:
        raise ValueError(f"at least {2 + len(unit_list) * 4} employees are needed")
    count, submissions, realisations = _counts()
    from sinergi.staff.models import ComplianceSummary

    summarised = ComplianceSummary.objects.filter(year=YEAR).exists()
    if (
        count == employees
        and submissions
        and realisations >= submissions * RHK_PER_SKP
        and summarised
    ):
        return {"year": YEAR, "units": unit_list, "employees": count, "submissions": submissions}
    started = time.perf_counter()
    params = {
        "units": [u.pk for u in unit_list],
        "office": office.pk,
        "n": employees,
        "male": list(MALE_FIRST),
        "n_male": len(MALE_FIRST),
        "female": list(FEMALE_FIRST),
        "n_female": len(FEMALE_FIRST),
        "last": list(LAST),
        "n_last": len(LAST),
        "year": YEAR,
        "rhks": RHK_PER_SKP,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in WIPE:
            cursor.execute(sql)
        cursor.execute(EMPLOYEES_SQL, params)
        cursor.execute(SUPERVISORS_SQL, {"units": len(unit_list)})
        for sql in (SKP_SQL, RHK_SQL, INDICATOR_SQL, SUBMISSION_SQL, REALISATION_SQL):
            cursor.execute(sql, params)
    from sinergi.staff.services import compliance_refresh

    compliance_refresh(years=[YEAR])  # what every write keeps up to date
    with connection.cursor() as cursor:
        for table in (
            "staff_employee",
            "staff_skp",
            "staff_rhk",
            "staff_rhkindicator",
            "staff_monthlysubmission",
            "staff_monthlyrealisation",
            "staff_compliancesummary",
        ):
            cursor.execute(f"ANALYZE {table}")
    count, submissions, realisations = _counts()
    log(
        f"  staff: {count:,} employees, {submissions:,} submissions, {realisations:,} "
        f"realisations of {YEAR} in {time.perf_counter() - started:.1f} s"
    )
    return {"year": YEAR, "units": unit_list, "employees": count, "submissions": submissions}


def link_user(user: Any, unit: Any, position: str = "Kepala Unit") -> Any:
    """Link `user` to the first employee of `unit` holding `position` (e.g. the head of a UPT, so
    the supervisor-chain scope of the employee list applies to them); returns the employee."""
    from sinergi.staff.models import Employee

    Employee.objects.filter(user=user).exclude(unit=unit, position=position).update(user=None)
    employee = Employee.objects.filter(unit=unit, position=position).order_by("id").first()
    if employee is not None and employee.user_id != user.pk:
        employee.user = user
        employee.save(update_fields=["user"])
    return employee
