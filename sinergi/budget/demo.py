"""Demo data: the 2026 DPA of Dinas Sosial Provinsi Jawa Timur with a cash plan, SP2D month by month
up to 10 August reproducing a lagging August (about 46-47% with some units far behind), the
physical progress the PPTK reported up to July, the milestones the head set (60% by 31 August,
70% by 30 September) and a provincial table of 60 offices where this office ranks 59 (seed 003:
Jatim Newsroom, 10 August 2022).

Idempotent: nothing is loaded when the 2026 DPA already has lines. Amounts are invented.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from sinergi.budget import selectors, services
from sinergi.budget.models import BudgetLine, Realisation
from sinergi.organisation.models import Unit

YEAR = 2026
MILLION = Decimal("1000000")
# share of the pagu planned per month (a usual provincial S-curve; adds up to 100)
PLAN_PROFILE = [4, 6, 7, 8, 8, 9, 9, 10, 10, 10, 10, 9]
AUGUST_SHARE_DONE = Decimal("0.4")  # SP2D up to 10 August
SEED_SOURCE = (
    "Arahan Kepala Dinas Sosial Provinsi Jawa Timur, pembinaan pegawai "
    "(Jatim Newsroom, 10 Agustus 2022): minimal 60% akhir Agustus, idealnya 70% September."
)

PROGRAMS = {
    "1.06.01": "Program Penunjang Urusan Pemerintahan Daerah Provinsi",
    "1.06.02": "Program Pemberdayaan Sosial",
    "1.06.04": "Program Rehabilitasi Sosial",
    "1.06.06": "Program Penanganan Bencana",
}
KEGIATAN = {
    "1.06.01.1.03": "Administrasi Keuangan Perangkat Daerah",
    "1.06.01.1.06": "Administrasi Umum Perangkat Daerah",
    "1.06.01.1.09": "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
    "1.06.02.1.02": "Pemberdayaan Potensi Sumber Kesejahteraan Sosial Daerah Provinsi",
    "1.06.04.1.01": "Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar di dalam Panti",
    "1.06.04.1.02": "Rehabilitasi Sosial Dasar Anak Terlantar di dalam Panti",
    "1.06.04.1.03": "Rehabilitasi Sosial Dasar Lanjut Usia Terlantar di dalam Panti",
    "1.06.04.1.04": "Rehabilitasi Sosial Dasar Tuna Sosial khususnya Gelandangan dan Pengemis di "
    "dalam Panti",
    "1.06.04.1.05": "Rehabilitasi Sosial Penyandang Masalah Kesejahteraan Sosial (PMKS) Lainnya "
    "Bukan Korban HIV/AIDS dan NAPZA di dalam Panti",
    "1.06.06.1.01": "Perlindungan Sosial Korban Bencana Alam dan Sosial Provinsi",
}
ACCOUNTS = {
    "5.1.01.01.01.0001": "Belanja Gaji Pokok PNS",
    "5.1.02.01.01.0024": "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor",
    "5.1.02.01.01.0052": "Belanja Makanan dan Minuman pada Fasilitas Pelayanan Urusan Sosial",
    "5.1.02.01.01.0029": "Belanja Pakaian Dinas dan Perlengkapan untuk Penerima Pelayanan",
    "5.1.02.02.01.0026": "Belanja Jasa Tenaga Pendidikan (Instruktur/Pembimbing)",
    "5.1.02.03.02.0035": "Belanja Pemeliharaan Bangunan Gedung Kantor",
    "5.1.06.01.01.0001": "Belanja Bantuan Sosial Uang yang Direncanakan kepada Individu",
    "5.2.02.05.01.0005": "Belanja Modal Alat Rumah Tangga",
}
# UPT type -> kegiatan of its client group
UPT_KEGIATAN = {
    "PSTW": "1.06.04.1.03",
    "PPSAA": "1.06.04.1.02",
    "PSBR": "1.06.04.1.02",
    "PPSPA": "1.06.04.1.02",
    "PPSAB": "1.06.04.1.02",
    "PRSMP": "1.06.04.1.04",
    "PMKS": "1.06.04.1.05",
}
SUBS = {
    "0001": "Penyediaan Permakanan",
    "0002": "Penyediaan Sandang",
    "0006": "Pemberian Bimbingan Fisik, Mental, Spiritual, dan Sosial",
    "0003": "Penyediaan Asrama yang Mudah Diakses dan Peralatannya",
}
# Units far behind (share of their cash plan realised); the rest realise most of theirs.
LAGGARDS = {
    "bidang-pfm": Decimal("0.4"),
    "bidang-linjamsos": Decimal("0.65"),
    "upt-prsmp-surabaya": Decimal("0.35"),
    "upt-rsbrw-pasuruan": Decimal("0.45"),
    "upt-ppsaa-sumenep": Decimal("0.5"),
}
OFFICES = [
    "Sekretariat DPRD", "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum Bina Marga",
    "Dinas PU Sumber Daya Air", "Dinas Perumahan Rakyat, Kawasan Permukiman dan Cipta Karya",
    "Satuan Polisi Pamong Praja", "Dinas Tenaga Kerja dan Transmigrasi",
    "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Kependudukan", "Dinas Ketahanan Pangan",
    "Dinas Lingkungan Hidup", "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Perhubungan", "Dinas Komunikasi dan Informatika",
    "Dinas Koperasi dan UKM", "Dinas Penanaman Modal dan PTSP", "Dinas Kepemudaan dan Olahraga",
    "Dinas Kebudayaan dan Pariwisata", "Dinas Perpustakaan dan Kearsipan",
    "Dinas Kelautan dan Perikanan", "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
    "Dinas Peternakan", "Dinas Kehutanan", "Dinas Energi dan Sumber Daya Mineral",
    "Dinas Perindustrian dan Perdagangan", "Badan Perencanaan Pembangunan Daerah",
    "Badan Pengelola Keuangan dan Aset Daerah", "Badan Pendapatan Daerah",
    "Badan Kepegawaian Daerah", "Badan Pengembangan Sumber Daya Manusia",
    "Badan Penanggulangan Bencana Daerah", "Badan Kesatuan Bangsa dan Politik",
    "Badan Penghubung Daerah", "Inspektorat", "Sekretariat Daerah",
    "Biro Administrasi Pemerintahan dan Otonomi Daerah", "Biro Hukum",
    "Biro Kesejahteraan Rakyat", "Biro Perekonomian", "Biro Administrasi Pembangunan",
    "Biro Pengadaan Barang/Jasa", "Biro Organisasi", "Biro Umum",
    "Biro Administrasi Pimpinan", "RSUD Dr. Soetomo", "RSUD Dr. Saiful Anwar",
    "RSUD Dr. Soedono Madiun", "RSUD Haji Surabaya", "RS Jiwa Menur", "RS Mata Masyarakat",
    "RSUD Dr. R. Soedarsono", "RS Paru Jember", "RS Paru Manguharjo Madiun",
    "Dinas Pendidikan Cabang Surabaya", "Badan Riset dan Inovasi Daerah",
    "Dinas Kearsipan Daerah", "Sekretariat Korpri", "Dinas Permukiman Wilayah Timur",
]  # fmt: skip
OWN_OFFICE = "Dinas Sosial"


def _money(value: Decimal) -> Decimal:
    """Rounded to whole thousands, like real SP2D and DPA amounts."""
    return (value / 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 1000


def _lines_for(unit: Unit) -> list[tuple[str, str, str, Decimal]]:
    """(kegiatan code, sub kegiatan suffix, account code, pagu in millions) for one unit."""
    code = unit.code
    if code == "sekretariat":
        return [
            ("1.06.01.1.03", "0002", "5.1.01.01.01.0001", Decimal(38000)),
            ("1.06.01.1.06", "0001", "5.1.02.01.01.0024", Decimal(1250)),
            ("1.06.01.1.09", "0009", "5.1.02.03.02.0035", Decimal(3400)),
        ]
    if code == "bidang-linjamsos":
        return [
            ("1.06.06.1.01", "0001", "5.1.02.01.01.0052", Decimal(8200)),
            ("1.06.06.1.01", "0001", "5.1.06.01.01.0001", Decimal(24500)),
        ]
    if code == "bidang-rehsos":
        return [("1.06.04.1.05", "0006", "5.1.02.02.01.0026", Decimal(2150))]
    if code == "bidang-dayasos":
        return [
            ("1.06.02.1.02", "0001", "5.1.02.02.01.0026", Decimal(3100)),
            ("1.06.02.1.02", "0001", "5.1.06.01.01.0001", Decimal(12000)),
        ]
    if code == "bidang-pfm":
        return [("1.06.02.1.02", "0003", "5.1.06.01.01.0001", Decimal(30500))]
    upt_type = unit.upt_type.code if unit.upt_type is not None else ""
    kegiatan = UPT_KEGIATAN.get(upt_type, "1.06.04.1.01")
    size = Decimal(unit.capacity or 90)
    return [
        (kegiatan, "0001", "5.1.02.01.01.0052", (size * Decimal("7.6")).quantize(Decimal(1))),
        (kegiatan, "0002", "5.1.02.01.01.0029", (size * Decimal("1.1")).quantize(Decimal(1))),
        (kegiatan, "0006", "5.1.02.02.01.0026", Decimal(420)),
        (kegiatan, "0003", "5.2.02.05.01.0005", Decimal(650)),
    ]


def _factor(unit: Unit, index: int) -> Decimal:
    if unit.code in LAGGARDS:
        return LAGGARDS[unit.code]
    return Decimal("0.91") + Decimal(index % 5) * Decimal("0.03")


@transaction.atomic
def load(stdout: Any) -> None:
    with transaction.atomic():
        with services.summaries_deferred():  # the absorption summaries are rebuilt once
            fiscal_year = _load(stdout)
        if fiscal_year is not None:
            _finish(stdout, fiscal_year)


def _load(stdout: Any) -> Any:
    fiscal_year = services.fiscal_year_get_or_create(actor=None, year=YEAR)
    if BudgetLine.objects.filter(fiscal_year=fiscal_year).exists():
        stdout.write(f"  budget: DPA {YEAR} already loaded")
        return None
    units = list(
        Unit.objects.filter(code__in=_unit_codes()).select_related("upt_type").order_by("path")
    )
    by_unit: dict[Unit, list[BudgetLine]] = {}
    for unit in units:
        for kegiatan, suffix, account, millions in _lines_for(unit):
            program = kegiatan[:7]
            sub_name = SUBS.get(suffix, "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah")
            line, _outcome = services.line_save(
                actor=None,
                fiscal_year=fiscal_year,
                program=(program, PROGRAMS[program]),
                kegiatan=(kegiatan, KEGIATAN[kegiatan]),
                sub_kegiatan=(f"{kegiatan}.{suffix}", sub_name),
                account_code=account,
                account_name=ACCOUNTS[account],
                unit=unit,
                pptk_name="",
                pagu=millions * MILLION,
            )
            months = [_money(line.pagu * share / 100) for share in PLAN_PROFILE]
            months[-1] += line.pagu - sum(months)
            services.cash_plan_set(actor=None, line=line, amounts=months)
            by_unit.setdefault(unit, []).append(line)
    number = 0
    for index, (unit, lines) in enumerate(by_unit.items()):
        factor = _factor(unit, index)
        for month in range(1, 9):
            share = Decimal(PLAN_PROFILE[month - 1]) / 100
            if month == 8:
                share *= AUGUST_SHARE_DONE
            allocations = {}
            for line in lines:
                # salaries are paid every month in full; the rest follows the unit's pace
                pace = Decimal(1) if line.account_code.startswith("5.1.01") else factor
                shares = Decimal(1) / 12 if line.account_code.startswith("5.1.01") else share
                amount = _money(line.pagu * shares * pace)
                if amount > 0:
                    allocations[line] = amount
            if not allocations:
                continue
            number += 1
            kind = "LS" if month % 2 else "GU"
            services.realisation_create(
                actor=None,
                fiscal_year=fiscal_year,
                sp2d_number=f"{number:05d}/SP2D/{kind}/1.06.0.00.0.00.01.0000/{YEAR}",
                paid_on=dt.date(YEAR, month, 8 if month == 8 else 15),
                sp2d_type=kind,
                allocations=allocations,
            )
    _physical_progress(by_unit)
    for due_on, target in [(dt.date(YEAR, 8, 31), 60), (dt.date(YEAR, 9, 30), 70)]:
        services.milestone_save(
            actor=None,
            fiscal_year=fiscal_year,
            due_on=due_on,
            target_percent=Decimal(target),
            source=SEED_SOURCE,
        )
    return fiscal_year


PPTK_NAMES = ["Siti Aminah", "Agus Prasetyo", "Dwi Lestari", "Bambang Sutrisno", "Rina Wulandari"]


def _physical_progress(by_unit: dict[Unit, list[BudgetLine]]) -> None:
    """Each unit's PPTK report the physical progress of its sub kegiatan, January to July, a
    little ahead of the money (goods and services are delivered before they are paid)."""
    rows = []
    for index, (unit, lines) in enumerate(by_unit.items()):
        pace = min(_factor(unit, index) + Decimal("0.05"), Decimal(1))
        for sub_id in sorted({line.sub_kegiatan_id for line in lines}):
            for month in range(1, 8):
                planned = Decimal(sum(PLAN_PROFILE[:month]))
                rows.append(
                    {
                        "sub_kegiatan_id": sub_id,
                        "unit_id": unit.pk,
                        "month": month,
                        "percent": min(planned * pace, Decimal(100)).quantize(Decimal("0.01")),
                        "reported_by": PPTK_NAMES[(index + sub_id) % len(PPTK_NAMES)],
                    }
                )
    services.progress_import(actor=None, rows=rows)


def _finish(stdout: Any, fiscal_year: Any) -> None:
    """The provincial table (from the office's own figures) and the summary line."""
    _provincial_table(fiscal_year)
    office = selectors.office_absorption(viewer=selectors.SYSTEM, fiscal_year=fiscal_year, month=8)
    lines = BudgetLine.objects.filter(fiscal_year=fiscal_year).count()
    sp2d = Realisation.objects.filter(fiscal_year=fiscal_year).count()
    stdout.write(
        f"  budget: DPA {YEAR} with {lines} lines, {sp2d} SP2D; "
        f"absorption up to August {office.absorption}%"
    )


def _unit_codes() -> list[str]:
    from sinergi.organisation.demo import _rows

    return [row["code"] for row in _rows("units_jatim.csv") if row["unit_type"] != "dinas"]


def _provincial_table(fiscal_year: Any) -> None:
    """60 offices at the end of August; Dinas Sosial at 59 (its own figures from the SP2D)."""
    own = selectors.office_absorption(viewer=selectors.SYSTEM, fiscal_year=fiscal_year, month=8)
    for position, name in enumerate(OFFICES):
        pagu = Decimal(150_000 + position * 37_000) * MILLION
        percent = Decimal("71.5") - Decimal(position) * Decimal("0.4")
        if position == len(OFFICES) - 1:
            percent = Decimal("41.2")  # the one office below
        services.provincial_office_save(
            actor=None,
            fiscal_year=fiscal_year,
            month=8,
            office_name=name,
            pagu=pagu,
            realisation=_money(pagu * percent / 100),
        )
    services.provincial_office_save(
        actor=None,
        fiscal_year=fiscal_year,
        month=8,
        office_name=OWN_OFFICE,
        pagu=own.pagu,
        realisation=own.realised,
        is_own_office=True,
    )
