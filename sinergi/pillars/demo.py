"""Demo data: about 1,858 Tagana, 666 TKSK (one per kecamatan of Jawa Timur), pendamping PKH Plus
and Jatim Social Care members with valid NIKs of their regency and Bank Jatim accounts; the 2024
and 2025 rates (data/aid_rates.csv, sources noted, unconfirmed ones marked); quarters 3 and 4 of
2025 paid (with a few failed transfers) and quarter 1 of 2026 generated and under review. The
Jatim Social Care members are UPT employees of the staff demo, linked to their records.

Set-based (bulk_create, then the cycle services); idempotent: nothing is loaded when members exist.
Names and numbers are invented.
"""

import csv
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from sinergi.accounts.models import User
from sinergi.budget import services as budget
from sinergi.core.identity import make_nik
from sinergi.organisation.models import Region, Unit
from sinergi.pillars import services
from sinergi.pillars.models import (
    AidRate,
    AidScheme,
    Bank,
    BankFileLayout,
    Entitlement,
    Member,
    PillarType,
)

DATA = Path(__file__).resolve().parent / "data"
MALE = [
    "Agus",
    "Budi",
    "Bambang",
    "Eko",
    "Joko",
    "Hadi",
    "Slamet",
    "Teguh",
    "Wahyu",
    "Yusuf",
    "Rudi",
    "Imam",
    "Arif",
    "Fajar",
    "Heru",
]
FEMALE = [
    "Siti",
    "Sri",
    "Dewi",
    "Endang",
    "Wahyuni",
    "Sulastri",
    "Rini",
    "Ratna",
    "Ani",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Puji",
]
LAST = [
    "Santoso",
    "Wijaya",
    "Prasetyo",
    "Hidayat",
    "Susanto",
    "Purnomo",
    "Setiawan",
    "Rahayu",
    "Lestari",
    "Kurniawan",
]
COUNTS = {"tagana": 1858, "pendamping-pkh-plus": 400}
JSC_MEMBERS = 40  # 40 Jatim Social Care members from the UPT staff (seed 004)


def _person(rng: random.Random) -> tuple[str, str, dt.date]:
    sex = rng.choice("LP")
    first = rng.choice(MALE if sex == "L" else FEMALE)
    born = dt.date(rng.randint(1970, 2002), rng.randint(1, 12), rng.randint(1, 28))
    return f"{first} {rng.choice(LAST)}", sex, born


def _rates(scheme: AidScheme) -> None:
    types = {t.code: t for t in PillarType.objects.all()}
    with (DATA / "aid_rates.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            AidRate.objects.get_or_create(
                scheme=scheme,
                pillar_type=types[row["pillar_type"]],
                role=row["role"],
                effective_from=dt.date.fromisoformat(row["effective_from"]),
                defaults={
                    "amount": Decimal(row["amount"]),
                    "source": row["source"],
                    "is_confirmed": row["is_confirmed"] == "true",
                },
            )


def _members(unit: Unit, rng: random.Random) -> int:
    types = {t.code: t for t in PillarType.objects.all()}
    bank = Bank.objects.get(code="114")
    districts = list(Region.objects.filter(level=3, code__startswith="35.").order_by("code"))
    rows: list[Member] = []
    serial = 0

    def add(
        type_code: str, district: Region, *, role: str = "member", exclusive: bool = False
    ) -> None:
        nonlocal serial
        serial += 1
        name, sex, born = _person(rng)
        rows.append(
            Member(
                pillar_type=types[type_code], role=role,
                nik=make_nik(district.code, born, sex, serial % 9999 + 1), name=name, sex=sex,
                born_on=born, regency_id=district.code[:5],
                district=district if exclusive or type_code != "tagana" else None,
                unit=unit, decree_number=f"188/{serial}/KPTS/013/2024", decree_on=dt.date(2024, 1, 2),
                active_from=dt.date(2024, 1, 1), bank=bank, account_number=f"{serial:010d}",
                account_holder=name.upper(), account_ready=True, district_exclusive=exclusive,
                phone=f"08{rng.randint(10**9, 10**10 - 1)}",
            )
        )  # fmt: skip

    for district in districts:
        add("tksk", district, exclusive=True)
    staff = _upt_staff(JSC_MEMBERS)
    for employee in staff:
        serial += 1
        born = dt.date(int(employee.nip[0:4]), int(employee.nip[4:6]), int(employee.nip[6:8]))
        sex = "P" if employee.nip[14] == "2" else "L"
        district = districts[rng.randrange(len(districts))]
        rows.append(
            Member(
                pillar_type=types["jatim-social-care"], nik=make_nik(district.code, born, sex, serial % 9999 + 1),
                name=employee.name, sex=sex, born_on=born, regency_id=district.code[:5], unit=unit,
                decree_number=f"188/{serial}/KPTS/013/2024", decree_on=dt.date(2024, 1, 2),
                active_from=dt.date(2024, 1, 1), bank=bank, account_number=f"{serial:010d}",
                account_holder=employee.name.upper(), account_ready=True, employee=employee,
            )
        )  # fmt: skip
    for _index in range(JSC_MEMBERS - len(staff)):
        add("jatim-social-care", districts[rng.randrange(len(districts))])
    for type_code, count in COUNTS.items():
        for index in range(count):
            role = (
                "regency_coordinator"
                if type_code == "pendamping-pkh-plus" and index < 38
                else "member"
            )
            add(type_code, districts[rng.randrange(len(districts))], role=role)
    # A few without a ready account: the cycle page says they are left out.
    for member in rows[-12:]:
        member.account_ready = False
        member.account_holder = "REKENING BELUM DIPERIKSA"
    Member.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _upt_staff(count: int) -> list[Any]:
    """Employees of the UPT with a NIP (from the staff demo), read through the member's link."""
    employee: Any = Member._meta.get_field("employee").related_model
    return list(
        employee._default_manager.filter(
            unit__unit_type__is_service_unit=True, nip__isnull=False, active_until__isnull=True
        ).order_by("unit_id", "id")[:count]
    )


def _pay(cycle: Any, finance: User, paid_on: dt.date, number: str, failures: int) -> None:
    batch = services.batch_approve(actor=finance, batch=cycle.batches.get(number=1))
    layout = BankFileLayout.objects.get(is_default=True)
    _name, lines = services.bank_file_export(actor=finance, batch=batch, layout=layout)
    "".join(lines)
    rows = ["referensi,status,nominal,alasan"]
    for index, (pk, attempt, amount) in enumerate(
        Entitlement.objects.filter(batch=batch)
        .order_by("id")
        .values_list("pk", "attempt", "amount")
    ):
        failed = index % 400 == 7 and failures > 0
        failures -= failed
        status, reason = ("gagal", "Rekening tidak aktif/dormant") if failed else ("berhasil", "")
        rows.append(f"P{pk:09d}{attempt:02d},{status},{int(amount)},{reason}")
    services.result_apply(
        actor=finance, batch=batch, content="\r\n".join(rows).encode(), filename="hasil.csv",
        paid_on=paid_on, sp2d_number=number,
    )  # fmt: skip


def load(stdout: Any) -> None:
    if Member.objects.exists():
        stdout.write("  pillars: already loaded")
        return
    unit = Unit.objects.filter(code="bidang-dayasos").first()
    maker = User.objects.filter(username="pilar").first()
    finance = User.objects.filter(username="keuangan").first()
    if (
        unit is None
        or maker is None
        or finance is None
        or not Region.objects.filter(level=3).exists()
    ):
        stdout.write("  pillars: skipped (units, regions or demo users missing)")
        return
    rng = random.Random(35)
    with transaction.atomic():
        scheme, _created = AidScheme.objects.get_or_create(
            code="bantuan-operasional-pilar",
            defaults={
                "name": "Bantuan operasional dan tali asih pilar sosial",
                "short_name": "BOP PILAR SOSIAL",
                "description": "Bantuan per triwulan untuk TKSK, Tagana dan pendamping PKH Plus "
                "(DOMAIN.md 8.2)",
            },
        )
        _rates(scheme)
        count = _members(unit, rng)
        year = budget.fiscal_year_get_or_create(actor=None, year=2025)
        line, _outcome = budget.line_save(
            actor=None, fiscal_year=year,
            program=("1.06.02", "Program Pemberdayaan Sosial"),
            kegiatan=("1.06.02.1.02", "Pemberdayaan Potensi Sumber Kesejahteraan Sosial Daerah Provinsi"),
            sub_kegiatan=("1.06.02.1.02.0001", "Peningkatan Kemampuan Potensi Pekerja Sosial Masyarakat"),
            account_code="5.1.06.01.01.0001",
            account_name="Belanja Bantuan Sosial Uang yang Direncanakan kepada Individu",
            unit=unit, pptk_name="Dra. Endang Lestari", pagu=Decimal("12000000000"),
        )  # fmt: skip
        services.funding_set(actor=None, scheme=scheme, year=2025, budget_line=line)
        kwargs = {"pptk_name": "Dra. Endang Lestari", "treasurer_name": "Sri Wahyuni, S.E.",
                  "kpa_name": "Drs. Bambang Santoso, M.Si."}  # fmt: skip
        q3 = services.cycle_generate(actor=maker, scheme=scheme, year=2025, quarter=3, **kwargs)
        _pay(q3, finance, dt.date(2025, 7, 24), "0731/SP2D/LS/2025", failures=4)
        q4 = services.cycle_generate(actor=maker, scheme=scheme, year=2025, quarter=4, **kwargs)
        _pay(q4, finance, dt.date(2025, 10, 23), "1044/SP2D/LS/2025", failures=3)
        services.cycle_generate(actor=maker, scheme=scheme, year=2026, quarter=1, **kwargs)
    stdout.write(f"  pillars: {count} members, two paid quarters (TW3, TW4 2025), TW1 2026 open")
