"""Reference data of the LKE: the grade bands (DOMAIN.md 5.3) and the answer scales.

Grade bands: detiknews86.com/?p=52516; data.kaltimprov.go.id (nilai SAKIP); the names of the
interpretations are unconfirmed (editable). Answer scales: PermenPANRB 88/2021 answers criteria with
Y/T or A-E; the values of A-E (1, 0.75, 0.5, 0.25, 0) are unconfirmed (editable).
"""

from decimal import Decimal

from django.db import migrations

BAND_SOURCE = "DOMAIN.md 5.3: detiknews86.com/?p=52516; data.kaltimprov.go.id (nama belum dikonfirmasi)"
BANDS = [
    # code, interpretation, score above (None: from 0), order
    ("AA", "Sangat Memuaskan", "90", 1),
    ("A", "Memuaskan", "80", 2),
    ("BB", "Sangat Baik", "70", 3),
    ("B", "Baik", "60", 4),
    ("CC", "Cukup (Memadai)", "50", 5),
    ("C", "Kurang", "30", 6),
    ("D", "Sangat Kurang", None, 7),
]
SCALE_SOURCE = "PermenPANRB 88/2021 (jawaban Y/T dan A-E); nilai A-E belum dikonfirmasi"
SCALES = {
    "YT": (
        "Ya / Tidak",
        [("Y", "Ya", "1"), ("T", "Tidak", "0")],
    ),
    "AE": (
        "A sampai E",
        [
            ("A", "Sangat memadai / seluruhnya", "1"),
            ("B", "Sebagian besar", "0.75"),
            ("C", "Sebagian", "0.5"),
            ("D", "Sebagian kecil", "0.25"),
            ("E", "Tidak ada", "0"),
        ],
    ),
}


def load(apps, schema_editor):
    GradeBand = apps.get_model("sakip", "GradeBand")
    AnswerScale = apps.get_model("sakip", "AnswerScale")
    AnswerOption = apps.get_model("sakip", "AnswerOption")
    for code, name, above, order in BANDS:
        GradeBand.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "above": Decimal(above) if above is not None else None,
                "order": order,
                "source": BAND_SOURCE,
            },
        )
    for code, (name, options) in SCALES.items():
        scale, _created = AnswerScale.objects.update_or_create(
            code=code, defaults={"name": name, "source": SCALE_SOURCE}
        )
        for order, (option_code, label, value) in enumerate(options):
            AnswerOption.objects.update_or_create(
                scale=scale,
                code=option_code,
                defaults={"label": label, "value": Decimal(value), "order": order},
            )


def unload(apps, schema_editor):
    apps.get_model("sakip", "AnswerOption").objects.all().delete()
    apps.get_model("sakip", "AnswerScale").objects.all().delete()
    apps.get_model("sakip", "GradeBand").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sakip", "0001_lke_evaluations")]

    operations = [migrations.RunPython(load, unload)]
