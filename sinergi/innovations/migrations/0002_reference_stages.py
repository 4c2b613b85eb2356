"""Reference data of the innovation registry: stages of an innovation and stages of a competition.

Innovation stages: issue 7 (idea, trial, implemented, replicated). Competition stages: Kovablik
Jatim (harianbhirawa ?p=700256, DOMAIN.md 13.1): administrative selection -> presentation/interview
-> field visit -> award (Top 45/Top 30 ...).
"""

from django.db import migrations

STAGE_SOURCE = "Issue 7; DOMAIN.md 13.1"
STAGES = [
    ("idea", "Ide / gagasan", 1),
    ("trial", "Uji coba", 2),
    ("implemented", "Diterapkan", 3),
    ("replicated", "Direplikasi", 4),
]
COMPETITION_SOURCE = "Kovablik Jatim: harianbhirawa ?p=700256 (DOMAIN.md 13.1)"
COMPETITION_STAGES = [
    ("submitted", "Diajukan", 1),
    ("administrative", "Lolos seleksi administrasi", 2),
    ("presentation", "Presentasi dan wawancara", 3),
    ("field_visit", "Visitasi lapangan", 4),
    ("top", "Top inovasi (Top 45/Top 30)", 5),
    ("winner", "Pemenang", 6),
]


def load(apps, schema_editor):
    Stage = apps.get_model("innovations", "Stage")
    CompetitionStage = apps.get_model("innovations", "CompetitionStage")
    for code, name, order in STAGES:
        Stage.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "source": STAGE_SOURCE}
        )
    for code, name, order in COMPETITION_STAGES:
        CompetitionStage.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "source": COMPETITION_SOURCE}
        )


def unload(apps, schema_editor):
    apps.get_model("innovations", "Stage").objects.all().delete()
    apps.get_model("innovations", "CompetitionStage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("innovations", "0001_registry")]

    operations = [migrations.RunPython(load, unload)]
