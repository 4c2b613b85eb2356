"""Closing a case now frees its bed (services.aftercare.case_close). Beds that closed cases of older
data still hold are freed here the same way: the stay ends on the termination date (or the day the
case was closed), never before the last recorded date of the stay, with an "ended" event."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone


def free_beds_of_closed_cases(apps, schema_editor):
    Residence = apps.get_model("rehabilitation", "Residence")
    ResidenceEvent = apps.get_model("rehabilitation", "ResidenceEvent")
    held = Residence.objects.filter(ended_on__isnull=True, case__status="closed").select_related(
        "case"
    )
    now = timezone.now()
    for residence in held.iterator():
        case = residence.case
        closed_on = timezone.localdate(case.closed_at) if case.closed_at else timezone.localdate()
        last = ResidenceEvent.objects.filter(residence=residence).aggregate(m=Max("occurred_on"))
        ended_on = max(
            d for d in [case.termination_on or closed_on, last["m"], residence.started_on] if d
        )
        Residence.objects.filter(pk=residence.pk).update(
            ended_on=ended_on,
            end_reason="discharged",
            is_away=False,
            away_type=None,
            updated_at=now,
        )
        ResidenceEvent.objects.create(
            residence=residence,
            kind="ended",
            occurred_on=ended_on,
            from_bed_id=residence.bed_id,
            note="Kasus sudah ditutup: tempat tidur dibebaskan (migrasi data).",
            at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("rehabilitation", "0007_consent_documents")]

    operations = [migrations.RunPython(free_beds_of_closed_cases, migrations.RunPython.noop)]
