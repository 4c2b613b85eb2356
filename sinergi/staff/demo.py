"""Demo staff: about 1,400 employees across every unit with a realistic hierarchy (head of office ->
heads of Sekretariat, Bidang and UPT -> sub-heads -> staff), valid NIPs, an approved SKP each and a
year of monthly submissions where most are on time and some units are often late. The demo logins
are linked to employee records so they see their own SKP. Set-based (bulk_create), idempotent.
"""

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from sinergi.core.identity import make_nip
from sinergi.organisation.models import Unit
from sinergi.staff.models import (
    Employee,
    EmploymentType,
    MonthlySubmission,
    Rank,
    Rhk,
    Skp,
)
from sinergi.staff.models.periods import due_on, previous_month
from sinergi.staff.services import compliance_refresh

TARGET = 1400
SEED = 2026
MALE = [
    "Ahmad",
    "Muhammad",
    "Agus",
    "Budi",
    "Bambang",
    "Eko",
    "Dwi",
    "Joko",
    "Hadi",
    "Slamet",
    "Sugeng",
    "Teguh",
    "Wahyu",
    "Yusuf",
    "Rudi",
    "Hendra",
    "Imam",
    "Irfan",
    "Arif",
    "Fajar",
    "Gunawan",
    "Heru",
    "Rizky",
    "Rahmat",
    "Andi",
    "Dedi",
    "Sutrisno",
    "Purnomo",
    "Ilham",
    "Fauzi",
    "Zainal",
    "Syaiful",
    "Abdullah",
    "Khoirul",
    "Hasan",
    "Faisal",
    "Anwar",
    "Bayu",
    "Dimas",
    "Galih",
    "Aditya",
    "Reza",
]
FEMALE = [
    "Siti",
    "Sri",
    "Dewi",
    "Endang",
    "Wahyuni",
    "Sulastri",
    "Tutik",
    "Yuli",
    "Rini",
    "Ratna",
    "Ani",
    "Ida",
    "Fitri",
    "Indah",
    "Kartini",
    "Lestari",
    "Maya",
    "Nanik",
    "Puji",
    "Ratih",
    "Retno",
    "Sari",
    "Tri",
    "Umi",
    "Wulan",
    "Yuni",
    "Aisyah",
    "Fatimah",
    "Nurul",
    "Rohmah",
    "Anisa",
    "Ayu",
    "Citra",
    "Diah",
    "Eka",
    "Intan",
    "Laila",
    "Mega",
    "Novi",
    "Putri",
    "Rahayu",
    "Rina",
    "Santi",
    "Winda",
    "Yunita",
]
LAST = [
    "Santoso",
    "Wibowo",
    "Susanto",
    "Prasetyo",
    "Setiawan",
    "Hidayat",
    "Saputra",
    "Kurniawan",
    "Wahyudi",
    "Purwanto",
    "Suryadi",
    "Hartono",
    "Nugroho",
    "Rahayu",
    "Lestari",
    "Ningsih",
    "Astuti",
    "Handayani",
    "Pratama",
    "Hakim",
    "Hasanah",
    "Maulana",
    "Rohman",
    "Arifin",
    "Utomo",
    "Budiman",
    "Sugiarto",
    "Widodo",
    "Sulistyo",
    "Mulyadi",
    "Yulianto",
    "Kusuma",
    "Permana",
    "Anggraini",
    "Rahmawati",
    "Ramadhan",
    "Fitriani",
    "Zakaria",
    "Cahyono",
    "Efendi",
]
TITLES = ["S.Sos.", "S.E.", "S.Psi.", "S.Kom.", "S.H.", "A.Md.", "S.ST.", "M.Si.", ""]
# Units whose staff are often late (the demo's "some units are often late").
OFTEN_LATE = {"upt-pstw-jember", "upt-psbr-blitar", "bidang-pfm", "upt-rsbk-madiun"}
# Demo logins linked to an employee: username -> (unit code, level).
LINKED = {
    "kadinsos": ("dinsos", "head"),
    "kabid.rehsos": ("bidang-rehsos", "head"),
    "kepala.rsbd.pasuruan": ("upt-rsbd-pasuruan", "head"),
    "pegawai.rsbd.pasuruan": ("upt-rsbd-pasuruan", "staff"),
    "peksos.rsbd.pasuruan": ("upt-rsbd-pasuruan", "staff"),
    "peksos.pstw.magetan": ("upt-pstw-magetan", "staff"),
    "keuangan": ("sekretariat", "staff"),
    "kepegawaian": ("sekretariat", "staff"),
    "perencanaan": ("sekretariat", "staff"),
    "pilar": ("bidang-dayasos", "staff"),
}
RHK_TITLES = [
    "Terlaksananya pelayanan rehabilitasi sosial sesuai standar",
    "Tersusunnya laporan kegiatan bulanan unit",
    "Terlaksananya administrasi dan tata usaha yang tertib",
    "Meningkatnya kualitas data penerima manfaat",
    "Terlaksananya koordinasi dengan pemangku kepentingan",
]


class _Maker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = 0
        self.nips: set[str] = set()
        self.ranks = {r.code: r for r in Rank.objects.all()}

    def name(self, female: bool) -> str:
        first = self.rng.choice(FEMALE if female else MALE)
        title = self.rng.choice(TITLES)
        name = f"{first} {self.rng.choice(LAST)}"
        return f"{name}, {title}" if title else name

    def nip(self, female: bool, pppk: bool, level: str) -> str:
        while True:
            self.serial += 1
            age = {"head": 50, "sub": 44, "staff": 35}[level] + self.rng.randint(-6, 8)
            birth = dt.date(2026 - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
            appointed = dt.date(
                min(birth.year + self.rng.randint(23, 30), 2024), self.rng.randint(1, 12), 1
            )
            number = make_nip(
                birth,
                appointed,
                "P" if female else "L",
                1 + self.serial % 999,
                pppk_code="21" if pppk else "",
            )
            if number not in self.nips:
                self.nips.add(number)
                return number

    def employee(self, unit: Unit, level: str, position: str, supervisor: Any, **extra: Any) -> Any:
        female = self.rng.random() < 0.5
        roll = self.rng.random()
        kind = EmploymentType.PNS
        if level == "staff" and roll < 0.1:
            kind = EmploymentType.NON_ASN
        elif level == "staff" and roll < 0.25:
            kind = EmploymentType.PPPK
        if kind == EmploymentType.PNS:
            grades = {"head": ["IV/a", "IV/b", "IV/c"], "sub": ["III/d", "IV/a"]}.get(
                level, ["II/c", "III/a", "III/b", "III/c", "III/d"]
            )
            rank = self.ranks.get(self.rng.choice(grades))
        elif kind == EmploymentType.PPPK:
            rank = self.ranks.get(f"PPPK-{self.rng.choice(['V', 'VII', 'IX'])}")
        else:
            rank = None
        rank = extra.pop("rank", rank)
        return Employee(
            nip=self.nip(female, kind == EmploymentType.PPPK, level)
            if kind != EmploymentType.NON_ASN
            else None,
            name=extra.pop("name", None) or self.name(female),
            employment_type=kind,
            rank=rank,
            position=position,
            unit=unit,
            supervisor=supervisor,
            active_from=dt.date(2020, 1, 1),
            **extra,
        )


def load(stdout: Any) -> None:
    if Employee.objects.filter(position="Kepala Dinas").exists():
        stdout.write("  staff: demo employees already loaded")
        return
    with transaction.atomic():
        _load(stdout)


def _load(stdout: Any) -> None:
    rng = random.Random(SEED)
    maker = _Maker(rng)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=LINKED)}
    units = list(Unit.objects.filter(is_active=True).select_related("unit_type").order_by("path"))
    if not units:
        return
    root = units[0]
    others = units[1:]
    # Level 1: the head of office; level 2: heads of units; level 3: sub-heads; then staff.
    head = maker.employee(
        root, "head", "Kepala Dinas", None, user=users.get("kadinsos"), rank=maker.ranks["IV/c"]
    )
    head.save()
    heads: dict[int, Employee] = {root.pk: head}
    # Units are in path order, so a parent's head exists before its children's.
    for unit in others:
        parent_head = heads.get(unit.parent_id or 0, head)
        title = {"sekretariat": "Sekretaris", "bidang": "Kepala Bidang"}.get(
            unit.unit_type.code, "Kepala UPT"
        )
        user = next(
            (
                users.get(n)
                for n, (code, lvl) in LINKED.items()
                if code == unit.code and lvl == "head"
            ),
            None,
        )
        employee = maker.employee(unit, "head", title, parent_head, user=user)
        employee.save()
        heads[unit.pk] = employee
    subs: dict[int, list[Employee]] = {}
    batch = []
    for unit in others:
        count = 3 if unit.unit_type.code in {"sekretariat", "bidang"} else 2
        label = "Kepala Sub Bagian" if unit.unit_type.code == "sekretariat" else "Kepala Seksi"
        for n in range(count):
            batch.append(maker.employee(unit, "sub", f"{label} {n + 1}", heads[unit.pk]))
    Employee.objects.bulk_create(batch)
    for employee in batch:
        subs.setdefault(employee.unit_id, []).append(employee)
    staff_each = max((TARGET - 1 - len(others) - len(batch)) // len(others), 1)
    staff: list[Employee] = []
    linked_staff = [(n, code) for n, (code, lvl) in LINKED.items() if lvl == "staff"]
    positions = ["Pekerja Sosial", "Penyuluh Sosial", "Analis Kepegawaian", "Pengadministrasi Umum",
                 "Pranata Komputer", "Bendahara", "Pengelola Data", "Pramu Sosial"]  # fmt: skip
    for unit in others:
        for n in range(staff_each):
            extra: dict[str, Any] = {}
            for username, code in linked_staff:
                if code == unit.code and username in users and n == 0:
                    extra = {"user": users.pop(username)}
                    break
            employee = maker.employee(
                unit, "staff", rng.choice(positions), rng.choice(subs[unit.pk]), **extra
            )
            if extra:  # demo logins are civil servants, so they have an SKP to show
                employee.employment_type = EmploymentType.PNS
                employee.rank = maker.ranks["III/b"]
                employee.nip = employee.nip or maker.nip(False, False, "staff")
            staff.append(employee)
    # A unit with several linked logins (the secretariat) links the rest to the next staff.
    for employee in staff:
        if not users or employee.user_id is not None:
            continue
        for username, code in linked_staff:
            if username in users and code == employee.unit.code:
                employee.user = users.pop(username)
                employee.employment_type = EmploymentType.PNS
                employee.rank = maker.ranks["III/b"]
                employee.nip = employee.nip or maker.nip(False, False, "staff")
                break
    Employee.objects.bulk_create(staff, batch_size=1000)
    total = Employee.objects.count()
    year, last_month = previous_month(timezone.localdate())
    skps, submissions = _skp_and_months(rng, year, last_month)
    compliance_refresh(years=[year])
    stdout.write(
        f"  staff: {total} employees, {skps} SKP {year}, {submissions} monthly submissions"
    )


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]], chunk: int = 500) -> None:
    """Multi-row INSERTs of plain values (much cheaper than model instances for ~15k rows)."""
    # Table and column names are this module's constants; every value is a bound parameter.
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for first in range(0, len(rows), chunk):
            part = rows[first : first + chunk]
            cursor.execute(head + ", ".join([one] * len(part)), [v for row in part for v in row])


SKP_SQL = (
    "INSERT INTO staff_skp (employee_id, year, period_start, period_end, status, revision, "
    "return_note, submitted_at, approved_at, version, created_at, updated_at) "
    "SELECT id, %s, %s, %s, %s, 0, '', %s, %s, 0, %s, %s FROM staff_employee "
    "WHERE employment_type <> %s"
)
INDICATOR_SQL = (
    "INSERT INTO staff_rhkindicator (rhk_id, aspect, description, target) "
    "SELECT r.id, %s, %s, %s FROM staff_rhk r JOIN staff_skp s ON s.id = r.skp_id "
    "WHERE s.year = %s"
)
REALISATION_SQL = (
    "INSERT INTO staff_monthlyrealisation (submission_id, rhk_id, realisation, evidence_text, "
    "evidence_link, evidence_file, evidence_file_name, evidence_file_type, evidence_file_size, "
    "created_at, updated_at) "
    "SELECT s.id, r.id, %s, %s, '', '', '', '', NULL, %s, %s FROM staff_monthlysubmission s "
    "JOIN staff_rhk r ON r.skp_id = s.skp_id WHERE s.year = %s"
)


def _skp_and_months(rng: random.Random, year: int, last_month: int) -> tuple[int, int]:
    """An approved SKP with two RHK for every PNS/PPPK employee and their monthly submissions up to
    `last_month`: INSERT ... SELECT and multi-row INSERTs, a few dozen queries in all."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    approved_at = ops.adapt_datetimefield_value(timezone.make_aware(dt.datetime(year, 1, 20, 9)))
    with connection.cursor() as cursor:
        cursor.execute(
            SKP_SQL,
            [
                year,
                ops.adapt_datefield_value(dt.date(year, 1, 1)),
                ops.adapt_datefield_value(dt.date(year, 12, 31)),
                Skp.Status.APPROVED,
                approved_at,
                approved_at,
                now,
                now,
                EmploymentType.NON_ASN,
            ],
        )
    skps = list(
        Skp.objects.filter(year=year)
        .order_by("employee_id")
        .values_list("pk", "employee_id", "employee__unit__code", "employee__user_id")
    )
    _insert(
        "staff_rhk",
        ["skp_id", "number", "kind", "title", "created_at", "updated_at"],
        [
            (skp_id, n, Rhk.Kind.MAIN, RHK_TITLES[(employee_id + n) % len(RHK_TITLES)], now, now)
            for skp_id, employee_id, _unit, _user in skps
            for n in (1, 2)
        ],
    )
    with connection.cursor() as cursor:
        for aspect, description, target in (
            ("quantity", "Jumlah dokumen/kegiatan", "12 dokumen"),
            ("time", "Ketepatan waktu", "setiap bulan"),
        ):
            cursor.execute(INDICATOR_SQL, [aspect, description, target, year])
    today = timezone.localdate()
    rows: list[tuple[Any, ...]] = []
    for skp_id, employee_id, unit_code, user_id in skps:
        late_rate, missing_rate = (0.35, 0.1) if unit_code in OFTEN_LATE else (0.08, 0.02)
        for month in range(1, last_month + 1):
            due = due_on(year, month)
            roll = rng.random()
            # The demo logins leave the latest month for the visitor to report.
            if user_id and month == last_month:
                continue
            if roll < missing_rate or (month == last_month and due >= today and roll < 0.4):
                continue
            late = roll < missing_rate + late_rate and due < today
            day = (
                due + dt.timedelta(days=rng.randint(1, 9))
                if late
                else due - dt.timedelta(days=rng.randint(0, 6))
            )
            submitted = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))
            rows.append(
                (
                    employee_id,
                    skp_id,
                    year,
                    month,
                    MonthlySubmission.Status.SUBMITTED,
                    ops.adapt_datefield_value(due),
                    ops.adapt_datetimefield_value(submitted),
                    not late,
                    now,
                    now,
                )
            )
    _insert(
        "staff_monthlysubmission",
        ["employee_id", "skp_id", "year", "month", "status", "due_on", "submitted_at", "on_time",
         "created_at", "updated_at"],
        rows,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            REALISATION_SQL,
            ["Terlaksana sesuai rencana bulan ini", "Laporan kegiatan bulanan", now, now, year],
        )
    return len(skps), len(rows)
