"""Reference data of the staff app, with its sources (ARCHITECTURE.md 7: rules are data).

- Ranks: PNS pangkat/golongan ruang I/a..IV/e (PP 99/2000 tentang Kenaikan Pangkat PNS, Lampiran);
  PPPK golongan I..XVII (Perpres 98/2020 tentang Gaji dan Tunjangan PPPK, Lampiran).
- Predikat and the predikat matrix: PermenPANRB 6/2022, Lampiran (see DOMAIN.md 7.3: the predikat
  names are confirmed, the matrix cells are a recollection to verify with the office, so they are
  editable data, dated by `effective_from`).
- BerAKHLAK core values: SE MenPANRB 20/2021 and PermenPANRB 6/2022 (DOMAIN.md 7.2).
"""

import datetime as dt

from django.db import migrations

RANK_SOURCE_PNS = "PP 99/2000 (pangkat dan golongan ruang PNS)"
RANK_SOURCE_PPPK = "Perpres 98/2020 (golongan PPPK)"
PNS_RANKS = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
PPPK_GRADES = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
]  # fmt: skip

PREDIKAT_SOURCE = "PermenPANRB 6/2022; SE MenPANRB tentang evaluasi kinerja ASN"
PREDIKAT = [
    ("sangat_baik", "Sangat Baik"),
    ("baik", "Baik"),
    ("butuh_perbaikan", "Butuh Perbaikan"),
    ("kurang", "Kurang/Misconduct"),
    ("sangat_kurang", "Sangat Kurang"),
]
MATRIX_SOURCE = "PermenPANRB 6/2022, Lampiran (matriks predikat kinerja; DOMAIN.md 7.3, to verify)"
MATRIX_FROM = dt.date(2022, 1, 1)
# (rating of work results, rating of work behaviour) -> predikat
MATRIX = [
    ("above", "below", "kurang"),
    ("above", "meets", "baik"),
    ("above", "above", "sangat_baik"),
    ("meets", "below", "kurang"),
    ("meets", "meets", "baik"),
    ("meets", "above", "baik"),
    ("below", "below", "sangat_kurang"),
    ("below", "meets", "butuh_perbaikan"),
    ("below", "above", "butuh_perbaikan"),
]
VALUES_SOURCE = "SE MenPANRB 20/2021; PermenPANRB 6/2022 (perilaku kerja BerAKHLAK)"
VALUES = [
    ("berorientasi_pelayanan", "Berorientasi Pelayanan", "Memahami dan memenuhi kebutuhan masyarakat"),
    ("akuntabel", "Akuntabel", "Bertanggung jawab atas kepercayaan yang diberikan"),
    ("kompeten", "Kompeten", "Terus belajar dan mengembangkan kapabilitas"),
    ("harmonis", "Harmonis", "Saling peduli dan menghargai perbedaan"),
    ("loyal", "Loyal", "Berdedikasi dan mengutamakan kepentingan bangsa dan negara"),
    ("adaptif", "Adaptif", "Terus berinovasi dan antusias dalam menghadapi perubahan"),
    ("kolaboratif", "Kolaboratif", "Membangun kerja sama yang sinergis"),
]


def load(apps, schema_editor):
    Rank = apps.get_model("staff", "Rank")
    Predikat = apps.get_model("staff", "Predikat")
    PredikatRule = apps.get_model("staff", "PredikatRule")
    BehaviourValue = apps.get_model("staff", "BehaviourValue")
    for order, (grade, name) in enumerate(PNS_RANKS, start=1):
        Rank.objects.update_or_create(
            code=grade,
            defaults={
                "employment_type": "pns",
                "grade": grade,
                "name": name,
                "sort_order": order,
                "source": RANK_SOURCE_PNS,
            },
        )
    for order, grade in enumerate(PPPK_GRADES, start=1):
        Rank.objects.update_or_create(
            code=f"PPPK-{grade}",
            defaults={
                "employment_type": "pppk",
                "grade": grade,
                "name": "",
                "sort_order": order,
                "source": RANK_SOURCE_PPPK,
            },
        )
    predikat = {}
    for order, (code, name) in enumerate(PREDIKAT, start=1):
        predikat[code], _created = Predikat.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order, "source": PREDIKAT_SOURCE}
        )
    for results, behaviour, code in MATRIX:
        PredikatRule.objects.update_or_create(
            results_rating=results,
            behaviour_rating=behaviour,
            effective_from=MATRIX_FROM,
            defaults={"predikat": predikat[code], "source": MATRIX_SOURCE},
        )
    for order, (code, name, meaning) in enumerate(VALUES, start=1):
        BehaviourValue.objects.update_or_create(
            code=code,
            defaults={"name": name, "meaning": meaning, "sort_order": order, "source": VALUES_SOURCE},
        )


def unload(apps, schema_editor):
    apps.get_model("staff", "PredikatRule").objects.filter(effective_from=MATRIX_FROM).delete()
    apps.get_model("staff", "BehaviourValue").objects.filter(
        code__in=[c for c, _n, _m in VALUES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("staff", "0002_skp_monthly_compliance")]

    operations = [migrations.RunPython(load, unload)]
