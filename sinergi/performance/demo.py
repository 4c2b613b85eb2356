"""Demo data: the office's Renstra 2025-2029 with IKU of a Dinas Sosial, indicators of UPT RSBD
Pasuruan, UPT PSTW Magetan, Bidang Rehabilitasi Sosial, Sekretariat and Bidang Pemberdayaan Sosial,
annual and quarterly targets, 2025 year-end and three quarters of 2026 realisation (some below
target; quarters I-II verified, III waiting), indicators filled from Sinergi's metrics where those
are registered, links to the demo budget's sub kegiatan, signed PK and SPM figures.

Idempotent: nothing is loaded when the Renstra 2025-2029 already has indicators. Figures invented.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from sinergi.core import metrics
from sinergi.organisation import selectors as organisation
from sinergi.performance import budget_links, services
from sinergi.performance.models import Indicator, RenstraPeriod, SpmService

YEARS = [2025, 2026, 2027, 2028, 2029]

# code, unit, level, objective, parent, name, uom, polarity, metric, targets per year
# (a value, or (low, high) for a range), quarterly targets of 2026, realisation 2025 Q4,
# realisation 2026 Q1-Q3, sub kegiatan codes of 2026
INDICATORS: list[dict[str, Any]] = [
    {
        "code": "IKU-01",
        "unit": "dinsos",
        "level": "iku",
        "objective": "S1",
        "name": "Persentase PPKS yang mandiri setelah mendapat rehabilitasi sosial di UPT",
        "uom": "%",
        "formula": "PPKS yang terminasi dengan status mandiri / seluruh PPKS yang terminasi x 100%",
        "source": "Register terminasi UPT",
        "targets": [60, 62, 65, 68, 70],
        "quarters": [55, 58, 60, 62],
        "real_2025": 61,
        "real_2026": [54, 57, 56],
    },
    {
        "code": "IKU-02",
        "unit": "dinsos",
        "level": "iku",
        "objective": "S2",
        "name": "Persentase capaian SPM bidang sosial daerah provinsi",
        "uom": "%",
        "formula": "Rata-rata persentase penerima layanan dasar SPM yang terlayani",
        "source": "Laporan penerapan SPM (Permendagri 59/2021)",
        "targets": [90, 92, 95, 98, 100],
        "quarters": [50, 70, 85, 92],
        "real_2025": 88,
        "real_2026": [52, 71, 80],
    },
    {
        "code": "IKU-03",
        "unit": "dinsos",
        "level": "iku",
        "objective": "S3",
        "name": "Persentase serapan anggaran Dinas Sosial",
        "uom": "%",
        "formula": "Realisasi SP2D / pagu DPA x 100%",
        "source": "SP2D (SIPD) dan DPA",
        "targets": [95, 95, 95, 96, 96],
        "quarters": [15, 40, 70, 95],
        "real_2025": 93.4,
        "real_2026": [14.2, 33.5, 46.6],
        "subs": ["1.06.01.1.03.0002", "1.06.04.1.01.0001", "1.06.04.1.03.0001"],
    },
    {
        "code": "IKU-04",
        "unit": "dinsos",
        "level": "iku",
        "objective": "S3",
        "name": "Nilai evaluasi SAKIP Dinas Sosial",
        "uom": "nilai",
        "formula": "Nilai hasil evaluasi AKIP internal (PermenPANRB 88/2021)",
        "source": "LHE evaluasi AKIP Inspektorat",
        "targets": [75, 76, 77, 78, 80],
        "real_2025": 74.2,
    },
    {
        "code": "RSBD-01",
        "unit": "upt-rsbd-pasuruan",
        "objective": "S1",
        "parent": "IKU-01",
        "name": "Persentase penerima manfaat yang mandiri saat terminasi",
        "uom": "%",
        "source": "Berita acara terminasi",
        "targets": [60, 62, 65, 68, 70],
        "quarters": [55, 58, 60, 62],
        "real_2025": 63,
        "real_2026": [56, 59, 48],
        "subs": ["1.06.04.1.01.0006"],
    },
    {
        "code": "RSBD-02",
        "unit": "upt-rsbd-pasuruan",
        "objective": "S2",
        "parent": "IKU-02",
        "name": "Jumlah penyandang disabilitas telantar yang mendapat rehabilitasi sosial dasar "
        "di dalam panti",
        "uom": "orang",
        "metric": "rehabilitation.clients_served",
        "source": "Data klien Sinergi",
        "targets": [90, 95, 100, 100, 100],
        "quarters": [70, 80, 90, 95],
        "subs": ["1.06.04.1.01.0001", "1.06.04.1.01.0002"],
    },
    {
        "code": "RSBD-03",
        "unit": "upt-rsbd-pasuruan",
        "objective": "S1",
        "parent": "IKU-01",
        "name": "Persentase penerima manfaat dengan peningkatan skor ADL (Indeks Barthel)",
        "uom": "%",
        "metric": "rehabilitation.adl_improved_percent",
        "source": "Asesmen Barthel di Sinergi",
        "targets": [70, 72, 75, 78, 80],
        "quarters": [70, 72, 72, 72],
    },
    {
        "code": "RSBD-04",
        "unit": "upt-rsbd-pasuruan",
        "objective": "S3",
        "name": "Jumlah pengaduan layanan yang tidak tertangani",
        "uom": "pengaduan",
        "polarity": "minimize",
        "quarter_mode": "per_quarter",
        "source": "Buku pengaduan UPT",
        "targets": [4, 4, 3, 3, 2],
        "quarters": [1, 1, 1, 1],
        "real_2025": 5,
        "real_2026": [1, 2, 1],
    },
    {
        "code": "RSBD-05",
        "unit": "upt-rsbd-pasuruan",
        "objective": "S2",
        "name": "Tingkat hunian panti",
        "uom": "%",
        "polarity": "range",
        "source": "Register penghuni",
        "targets": [(85, 100)] * 5,
        "quarters": [(85, 100)] * 4,
        "real_2025": 97,
        "real_2026": [92, 104, 96],
    },
    {
        "code": "PSTW-01",
        "unit": "upt-pstw-magetan",
        "objective": "S2",
        "parent": "IKU-02",
        "name": "Jumlah lanjut usia telantar yang terpenuhi kebutuhan dasarnya di dalam panti",
        "uom": "orang",
        "source": "Register penghuni PSTW",
        "targets": [110, 115, 120, 120, 120],
        "quarters": [105, 110, 113, 115],
        "real_2025": 108,
        "real_2026": [104, 109, 112],
        "subs": ["1.06.04.1.03.0001", "1.06.04.1.03.0002"],
    },
    {
        "code": "PSTW-02",
        "unit": "upt-pstw-magetan",
        "objective": "S1",
        "parent": "IKU-01",
        "name": "Persentase lanjut usia yang mendapat pemeriksaan kesehatan rutin",
        "uom": "%",
        "source": "Kartu kesehatan penghuni",
        "targets": [90, 92, 95, 95, 95],
        "quarters": [92, 92, 92, 92],
        "real_2025": 89,
        "real_2026": [95, 88, 70],
    },
    {
        "code": "REHSOS-01",
        "unit": "bidang-rehsos",
        "objective": "S3",
        "name": "Tersusunnya standar operasional prosedur pelayanan rehabilitasi sosial",
        "uom": "dokumen",
        "polarity": "binary",
        "source": "SK Kepala Dinas",
        "targets": [1, 1, 1, 1, 1],
        "real_2025": 1,
        "real_2026": [0, 0, 1],
    },
    {
        "code": "SEK-01",
        "unit": "sekretariat",
        "objective": "S3",
        "parent": "IKU-03",
        "name": "Persentase pegawai yang menyampaikan SKP tepat waktu",
        "uom": "%",
        "metric": "staff.skp_on_time_percent",
        "source": "SKP bulanan di Sinergi",
        "targets": [90, 92, 95, 95, 95],
        "quarters": [90, 90, 90, 90],
    },
    {
        "code": "DAYASOS-01",
        "unit": "bidang-dayasos",
        "objective": "S2",
        "name": "Persentase bantuan pilar sosial yang dibayarkan tepat waktu",
        "uom": "%",
        "metric": "pillars.aid_paid_on_time_percent",
        "source": "Pembayaran bantuan pilar sosial di Sinergi",
        "targets": [90, 92, 95, 95, 95],
        "quarters": [90, 90, 90, 90],
    },
]

GOALS = [
    ("T1", "Meningkatnya kesejahteraan sosial Penyandang Masalah Kesejahteraan Sosial (PPKS)"),
    ("T2", "Meningkatnya akuntabilitas kinerja dan tata kelola Dinas Sosial"),
]
OBJECTIVES = [
    ("T1", "S1", "Meningkatnya kemandirian PPKS melalui rehabilitasi sosial di dalam panti"),
    ("T1", "S2", "Terpenuhinya kebutuhan dasar PPKS sesuai SPM bidang sosial"),
    ("T2", "S3", "Meningkatnya kualitas tata kelola keuangan dan kinerja"),
]
SPM_2026 = {  # service code: (people needing, people served)
    "disabilitas-telantar": (520, 468),
    "anak-telantar": (610, 512),
    "lansia-telantar": (1180, 1104),
    "gelandangan-pengemis": (340, 221),
    "korban-bencana": (2600, 2600),
}
HEADS = {
    "upt-rsbd-pasuruan": ("Saroni, SST, M.Si", "Kepala UPT RSBD Pasuruan"),
    "upt-pstw-magetan": ("Kepala UPT PSTW Magetan", "Kepala UPT PSTW Magetan"),
}


def _target_kwargs(value: Any) -> dict[str, Any]:
    if isinstance(value, tuple):
        return {"low": Decimal(value[0]), "high": Decimal(value[1])}
    return {"value": Decimal(str(value))}


@transaction.atomic
def load(stdout: Any) -> None:
    with services.summaries_deferred():  # the dashboard summaries are rebuilt once
        _load(stdout)


def _load(stdout: Any) -> None:
    period = RenstraPeriod.objects.filter(start_year=2025).first()
    if period is not None and Indicator.objects.filter(period=period).exists():
        stdout.write("  performance: Renstra 2025-2029 already loaded")
        return
    found = {code: organisation.unit_by_code(code) for code in {i["unit"] for i in INDICATORS}}
    units = {code: unit for code, unit in found.items() if unit is not None}
    if len(units) < len(found):
        stdout.write("  performance: demo units missing, nothing loaded")
        return
    period = services.period_save(
        actor=None,
        name="Rencana Strategis Dinas Sosial Provinsi Jawa Timur",
        start_year=2025,
        end_year=2029,
        legal_basis="Renstra Perangkat Daerah 2025-2029 (contoh demo)",
    )
    goals = {
        code: services.goal_save(actor=None, period=period, code=code, statement=text)
        for code, text in GOALS
    }
    objectives = {
        code: services.objective_save(actor=None, goal=goals[goal], code=code, statement=text)
        for goal, code, text in OBJECTIVES
    }
    subs = {
        c.code: c.sub_kegiatan_id
        for c in budget_links.sub_kegiatan_choices(viewer=budget_links.SYSTEM, years=[2026])
    }
    made: dict[str, Indicator] = {}
    automatic = 0
    for order, spec in enumerate(INDICATORS, start=1):
        metric = spec.get("metric", "")
        if metric and metrics.get(metric) is None:
            metric = ""  # the app computing it is not installed: entered by hand instead
        indicator = services.indicator_save(
            actor=None,
            period=period,
            unit=units[spec["unit"]],
            code=spec["code"],
            name=spec["name"],
            unit_of_measure=spec["uom"],
            polarity=spec.get("polarity", "maximize"),
            level=spec.get("level", "unit"),
            objective=objectives[spec["objective"]],
            parent=made.get(spec.get("parent", "")),
            quarter_mode=spec.get("quarter_mode", "cumulative"),
            data_source=spec.get("source", ""),
            formula=spec.get("formula", ""),
            metric_code=metric,
            sort_order=order * 10,
            sub_kegiatan_ids=[subs[c] for c in spec.get("subs", []) if c in subs],
        )
        made[spec["code"]] = indicator
        for year, value in zip(YEARS, spec["targets"], strict=True):
            services.target_set(
                actor=None, indicator=indicator, year=year, quarter=0, **_target_kwargs(value)
            )
        for quarter, value in enumerate(spec.get("quarters", []), start=1):
            services.target_set(
                actor=None, indicator=indicator, year=2026, quarter=quarter, **_target_kwargs(value)
            )
        if metric:
            automatic += 1
            for quarter in (1, 2, 3):
                services.realisation_fill(
                    actor=None, indicator=indicator, year=2026, quarter=quarter
                )
            continue
        entries = []
        if "real_2025" in spec:
            entries.append((2025, 4, spec["real_2025"]))
        entries += [(2026, q, v) for q, v in enumerate(spec.get("real_2026", []), start=1)]
        for year, quarter, value in entries:
            realisation = services.realisation_enter(
                actor=None,
                indicator=indicator,
                year=year,
                quarter=quarter,
                value=Decimal(str(value)),
                evidence_text=f"{spec.get('source', 'Laporan unit')}, triwulan {quarter} {year}",
            )
            if (year, quarter) < (2026, 3):
                services.realisation_verify(actor=None, realisation=realisation, note="Sesuai")
    services.period_lock(actor=None, year=2025, quarter=4, reason="LKjIP 2025 telah disusun")
    for code, (head_name, position) in HEADS.items():
        agreement = services.agreement_draw(
            actor=None,
            unit=units[code],
            year=2026,
            head_name=head_name,
            head_position=position,
            superior_name="Dra. Restu Novi Widiani, MM",
            superior_position="Kepala Dinas Sosial Provinsi Jawa Timur",
        )
        services.agreement_sign(actor=None, agreement=agreement, signed_on=dt.date(2026, 1, 30))
    for service in SpmService.objects.filter(code__in=SPM_2026):
        needing, served = SPM_2026[service.code]
        figure = services.spm_figure_save(
            actor=None, service=service, year=2026, needing=needing, served=served
        )
        if figure.served_automatic and figure.served:
            # counted from the demo's rehabilitation cases: the number needing is scaled to them
            services.spm_figure_save(
                actor=None,
                service=service,
                year=2026,
                needing=round(figure.served * needing / served),
            )
    stdout.write(
        f"  performance: Renstra 2025-2029 with {len(made)} indicators ({automatic} automatic), "
        "targets, 2025 and Q1-Q3 2026 realisation, 2 PK, SPM 2026"
    )
