"""Give each physical progress report the unit(s) of its sub kegiatan.

A report made when progress was kept per sub kegiatan applies to every unit with lines in that
sub kegiatan: it is copied to each of them. A report of a sub kegiatan without lines is shown
nowhere and is dropped. Reversed: one report per sub kegiatan and month is kept (the oldest).
"""

from django.db import migrations


def fill_units(apps, schema_editor):
    progress_model = apps.get_model("budget", "PhysicalProgress")
    line_model = apps.get_model("budget", "BudgetLine")
    units_of: dict[int, list[int]] = {}
    for sub_id, unit_id in (
        line_model.objects.values_list("sub_kegiatan_id", "unit_id").distinct().order_by("unit_id")
    ):
        units_of.setdefault(sub_id, []).append(unit_id)
    copies = []
    for report in progress_model.objects.filter(unit__isnull=True).order_by("pk"):
        units = units_of.get(report.sub_kegiatan_id, [])
        if not units:
            report.delete()
            continue
        report.unit_id = units[0]
        report.save(update_fields=["unit"])
        for unit_id in units[1:]:
            copies.append(
                progress_model(
                    sub_kegiatan_id=report.sub_kegiatan_id,
                    unit_id=unit_id,
                    month=report.month,
                    percent=report.percent,
                    reported_by=report.reported_by,
                )
            )
    progress_model.objects.bulk_create(copies, batch_size=1000)


def keep_one_per_sub_kegiatan(apps, schema_editor):
    progress_model = apps.get_model("budget", "PhysicalProgress")
    seen = set()
    extra = []
    for pk, sub_id, month in progress_model.objects.order_by("pk").values_list(
        "pk", "sub_kegiatan_id", "month"
    ):
        if (sub_id, month) in seen:
            extra.append(pk)
        seen.add((sub_id, month))
    progress_model.objects.filter(pk__in=extra).delete()
    progress_model.objects.update(unit=None)


class Migration(migrations.Migration):
    dependencies = [("budget", "0004_physical_progress_per_unit")]

    operations = [migrations.RunPython(fill_units, keep_one_per_sub_kegiatan)]
