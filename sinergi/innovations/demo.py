"""Demo data of the innovation registry: the five innovations of Dinas Sosial Provinsi Jawa Timur
that passed the administrative selection of Kovablik Jatim 2022 (seed 003: Jatim Newsroom,
10 August 2022), Pro Wes Difa also Top 30 Kovablik 2020 (DOMAIN.md 12.2, 13.1). Names, units and
the 2022 stage come from the seeds; start dates, descriptions and effect figures are illustrative.

Idempotent: an innovation already registered (by name and unit) is left as it is.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from sinergi.innovations import services
from sinergi.innovations.models import CompetitionStage, Innovation, Stage
from sinergi.organisation.models import Unit

KOVABLIK = "Kovablik Jawa Timur"
SEED = "Jatim Newsroom, 10 Agustus 2022"
INNOVATIONS: list[dict[str, Any]] = [
    {
        "name": "Program Wisata Edukasi Sosial Disabilitas",
        "acronym": "Pro Wes Difa",
        "unit": "upt-rsbd-pasuruan",
        "problem": "Masyarakat dan pelajar belum memahami kemampuan penyandang disabilitas daksa, "
        "sehingga stigma menghambat kemandirian penerima manfaat.",
        "description": "Kunjungan edukasi ke UPT: pelajar dan masyarakat mengenal layanan "
        "rehabilitasi sosial, keterampilan dan karya penerima manfaat disabilitas daksa.",
        "started_on": dt.date(2019, 1, 2),
        "stage": "replicated",
        "indicator": ("Kunjungan edukasi per tahun", "4", "36", "kunjungan"),
        "entries": [(2020, "top", "Top 30"), (2022, "administrative", "")],
    },
    {
        "name": "Belajar Orientasi Mobilitas bagi Distra dan Komunitas",
        "acronym": "Bombastis",
        "unit": "upt-rsbn-malang",
        "problem": "Penyandang disabilitas netra (distra) belum mandiri bepergian dan keluarga "
        "serta komunitas belum tahu cara mendampingi.",
        "description": "Pelatihan orientasi dan mobilitas bagi distra bersama keluarga dan "
        "komunitas di sekitar tempat tinggalnya.",
        "started_on": dt.date(2021, 3, 1),
        "stage": "implemented",
        "indicator": ("Distra mandiri bepergian", "12", "41", "orang"),
        "entries": [(2022, "administrative", "")],
    },
    {
        "name": "Jangkauan Bina Karya Berdedikasi",
        "acronym": "Jangkar Besi",
        "unit": "upt-rsbk-madiun",
        "problem": "Gelandangan dan pengemis hasil penjangkauan kembali ke jalan setelah keluar "
        "dari panti.",
        "description": "Penjangkauan terpadu dan pembinaan karya bagi gelandangan dan pengemis, "
        "dilanjutkan pendampingan setelah terminasi.",
        "started_on": dt.date(2021, 6, 1),
        "stage": "implemented",
        "indicator": ("Penerima manfaat kembali ke jalan", "18", "7", "orang"),
        "entries": [(2022, "administrative", "")],
    },
    {
        "name": "Konseling Remaja Kuat Berkualitas",
        "acronym": "Kojak",
        "unit": "upt-psbr-blitar",
        "problem": "Remaja putus sekolah di UPT membutuhkan pendampingan psikososial yang teratur.",
        "description": "Konseling individu dan kelompok terjadwal bagi remaja binaan, dengan "
        "rencana tindak lanjut bersama keluarga.",
        "started_on": dt.date(2021, 8, 2),
        "stage": "trial",
        "indicator": ("Remaja selesai program keterampilan", "60", "82", "persen"),
        "entries": [(2022, "administrative", "")],
    },
    {
        "name": "Bahagia, Sehat, dan Bugar Bareng Media Relaksasi Lanjut Usia",
        "acronym": "Gitarr Melani",
        "unit": "upt-pstw-magetan",
        "problem": "Lanjut usia di panti mengalami kejenuhan dan penurunan kebugaran.",
        "description": "Relaksasi bersama dengan musik, senam dan permainan untuk lanjut usia "
        "penerima manfaat.",
        "started_on": dt.date(2021, 2, 1),
        "stage": "implemented",
        "indicator": ("Lansia mengikuti kegiatan rutin", "35", "78", "persen"),
        "entries": [(2022, "administrative", "")],
    },
]


@transaction.atomic
def load(stdout: Any) -> None:
    stages = {s.code: s for s in Stage.objects.all()}
    competition_stages = {s.code: s for s in CompetitionStage.objects.all()}
    created = 0
    for data in INNOVATIONS:
        unit = Unit.objects.filter(code=data["unit"]).first()
        if unit is None or Innovation.objects.filter(name=data["name"], unit=unit).exists():
            continue
        innovation = services.innovation_save(
            actor=None,
            name=data["name"],
            acronym=data["acronym"],
            unit=unit,
            owner=f"Tim inovasi {unit.short_name or unit.name}",
            problem=data["problem"],
            description=data["description"],
            started_on=data["started_on"],
            stage=stages[data["stage"]],
        )
        name, before, after, measure = data["indicator"]
        services.indicator_add(
            actor=None,
            innovation=innovation,
            name=name,
            before=Decimal(before),
            after=Decimal(after),
            unit_of_measure=measure,
        )
        for year, stage, result in data["entries"]:
            services.entry_add(
                actor=None,
                innovation=innovation,
                competition=KOVABLIK,
                year=year,
                stage_reached=competition_stages[stage],
                result=result or f"Lolos seleksi administrasi ({SEED})",
            )
        services.innovation_publish(actor=None, innovation=innovation, published=True)
        created += 1
    if created:
        stdout.write(f"  {created} innovations (Kovablik 2022)")
