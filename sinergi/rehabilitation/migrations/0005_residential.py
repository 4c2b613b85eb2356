"""The residential side and transfers: rooms and beds, residences and their events, the waiting
list, movement types (reference data from rehabilitation/data/movement_types.csv, with their source)
and transfers between UPT. Later corrections of the movement types go through
`services.residential.movement_types_load` (the demo loader calls it)."""

import csv
import datetime as dt
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data"


def load_movement_types(apps, schema_editor):
    movement_type = apps.get_model("rehabilitation", "MovementType")
    reason = apps.get_model("rehabilitation", "TerminationReason")
    with (DATA / "movement_types.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            movement_type.objects.update_or_create(
                code=row["code"],
                defaults={
                    "number": int(row["number"]),
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "effect": row["effect"],
                    "termination_reason": reason.objects.filter(
                        code=row["termination_reason"]
                    ).first()
                    if row["termination_reason"]
                    else None,
                    "source": row["source"],
                    "effective_from": dt.date.fromisoformat(row["effective_from"]),
                },
            )


def unload_movement_types(apps, schema_editor):
    apps.get_model("rehabilitation", "MovementType").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0002_region_name_trigram_index"),
        ("rehabilitation", "0004_aftercare_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Bed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("label", models.CharField(max_length=20, verbose_name="bed")),
                ("is_active", models.BooleanField(default=True, verbose_name="in use")),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisation.unit",
                        verbose_name="UPT",
                    ),
                ),
            ],
            options={
                "verbose_name": "bed",
                "verbose_name_plural": "beds",
                "ordering": ["room", "label", "id"],
            },
        ),
        migrations.CreateModel(
            name="MovementType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=200, verbose_name="name in English"),
                ),
                ("source", models.CharField(max_length=300, verbose_name="source")),
                ("effective_from", models.DateField(verbose_name="effective from")),
                (
                    "effective_until",
                    models.DateField(blank=True, null=True, verbose_name="effective until"),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "effect",
                    models.CharField(
                        choices=[
                            ("away", "Away, still counted, keeps the bed"),
                            ("return", "Back in the UPT"),
                            ("end", "Ends the stay, frees the bed"),
                        ],
                        max_length=10,
                        verbose_name="effect",
                    ),
                ),
                (
                    "termination_reason",
                    models.ForeignKey(
                        blank=True,
                        help_text="For movements that end the stay: the reason the termination will carry.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.terminationreason",
                        verbose_name="termination reason to record",
                    ),
                ),
            ],
            options={
                "verbose_name": "movement type",
                "verbose_name_plural": "movement types",
                "ordering": ["number", "code"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Residence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("started_on", models.DateField(verbose_name="admitted into the bed on")),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="left on")),
                (
                    "end_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("movement", "Movement (absconded, died)"),
                            ("discharged", "Left the UPT"),
                            ("transferred", "Transferred or referred"),
                        ],
                        max_length=12,
                        verbose_name="why the stay ended",
                    ),
                ),
                ("is_away", models.BooleanField(default=False, verbose_name="away")),
                (
                    "away_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.movementtype",
                        verbose_name="away for",
                    ),
                ),
                (
                    "bed",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="residences",
                        to="rehabilitation.bed",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="residences",
                        to="rehabilitation.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisation.unit",
                        verbose_name="UPT",
                    ),
                ),
            ],
            options={
                "verbose_name": "residence",
                "verbose_name_plural": "residences",
                "ordering": ["unit", "-started_on", "id"],
                "permissions": [("manage_beds", "Can set up the rooms and beds of the UPT")],
            },
        ),
        migrations.CreateModel(
            name="ResidenceEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("admitted", "Admitted into a bed"),
                            ("bed_moved", "Moved to another bed"),
                            ("movement", "Movement"),
                            ("ended", "Left the bed"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("occurred_on", models.DateField(verbose_name="date")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "from_bed",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.bed",
                    ),
                ),
                (
                    "movement_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.movementtype",
                        verbose_name="movement",
                    ),
                ),
                (
                    "residence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="rehabilitation.residence",
                        verbose_name="residence",
                    ),
                ),
                (
                    "to_bed",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.bed",
                    ),
                ),
            ],
            options={
                "verbose_name": "residence event",
                "verbose_name_plural": "residence events",
                "ordering": ["occurred_on", "at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Room",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("wisma", models.CharField(max_length=80, verbose_name="wisma (building)")),
                ("name", models.CharField(max_length=80, verbose_name="room")),
                ("notes", models.CharField(blank=True, max_length=200, verbose_name="notes")),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisation.unit",
                        verbose_name="UPT",
                    ),
                ),
            ],
            options={
                "verbose_name": "room",
                "verbose_name_plural": "rooms",
                "ordering": ["unit", "wisma", "name", "id"],
            },
        ),
        migrations.AddField(
            model_name="bed",
            name="room",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="beds",
                to="rehabilitation.room",
            ),
        ),
        migrations.CreateModel(
            name="Transfer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("upt", "Another UPT"), ("institution", "An outside institution")],
                        max_length=12,
                        verbose_name="destination",
                    ),
                ),
                (
                    "institution_name",
                    models.CharField(blank=True, max_length=200, verbose_name="institution"),
                ),
                (
                    "institution_address",
                    models.CharField(
                        blank=True, max_length=255, verbose_name="institution address"
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason for the transfer")),
                ("requested_on", models.DateField(verbose_name="requested on")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for the receiving UPT"),
                            ("accepted", "Accepted"),
                            ("declined", "Declined"),
                            ("cancelled", "Cancelled"),
                            ("completed", "Referred (case closed)"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="answered at"),
                ),
                (
                    "decline_reason",
                    models.TextField(blank=True, verbose_name="reason for declining"),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfers",
                        to="rehabilitation.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
                (
                    "from_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisation.unit",
                        verbose_name="sending UPT",
                    ),
                ),
                (
                    "new_case",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transferred_in",
                        to="rehabilitation.case",
                        verbose_name="case in the receiving UPT",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
                (
                    "to_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisation.unit",
                        verbose_name="receiving UPT",
                    ),
                ),
            ],
            options={
                "verbose_name": "transfer",
                "verbose_name_plural": "transfers",
                "ordering": ["-requested_on", "-id"],
                "permissions": [
                    ("acknowledge_transfer", "Can accept or decline a transfer into the UPT")
                ],
            },
        ),
        migrations.CreateModel(
            name="WaitingListEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("requested_on", models.DateField(verbose_name="requested on")),
                (
                    "priority",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Urgent"), (2, "High"), (3, "Normal")],
                        default=3,
                        verbose_name="priority",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting"),
                            ("admitted", "Admitted"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="waiting",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "cancel_reason",
                    models.TextField(blank=True, verbose_name="reason for cancelling"),
                ),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="taken off at"),
                ),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="added by",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="waiting_entries",
                        to="rehabilitation.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisation.unit",
                        verbose_name="UPT",
                    ),
                ),
            ],
            options={
                "verbose_name": "waiting list entry",
                "verbose_name_plural": "waiting list entries",
                "ordering": ["unit", "priority", "requested_on", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="residence",
            index=models.Index(
                condition=models.Q(("ended_on__isnull", True)),
                fields=["unit", "is_away"],
                name="rehab_residence_active_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="residence",
            index=models.Index(fields=["unit", "started_on"], name="rehab_residence_unit_idx"),
        ),
        migrations.AddConstraint(
            model_name="residence",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True)),
                fields=("bed",),
                name="rehab_residence_one_per_bed",
            ),
        ),
        migrations.AddConstraint(
            model_name="residence",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True)),
                fields=("case",),
                name="rehab_residence_one_per_case",
            ),
        ),
        migrations.AddConstraint(
            model_name="residence",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True),
                    ("ended_on__gte", models.F("started_on")),
                    _connector="OR",
                ),
                name="rehab_residence_dates",
            ),
        ),
        migrations.AddIndex(
            model_name="residenceevent",
            index=models.Index(fields=["residence", "occurred_on"], name="rehab_resevent_res_idx"),
        ),
        migrations.AddConstraint(
            model_name="room",
            constraint=models.UniqueConstraint(
                fields=("unit", "wisma", "name"), name="rehab_room_unique_name"
            ),
        ),
        migrations.AddIndex(
            model_name="bed",
            index=models.Index(fields=["unit", "is_active"], name="rehab_bed_unit_idx"),
        ),
        migrations.AddConstraint(
            model_name="bed",
            constraint=models.UniqueConstraint(
                fields=("room", "label"), name="rehab_bed_unique_label"
            ),
        ),
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(fields=["to_unit", "status"], name="rehab_transfer_to_idx"),
        ),
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(fields=["from_unit", "status"], name="rehab_transfer_from_idx"),
        ),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("case",),
                name="rehab_transfer_one_pending",
            ),
        ),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "upt"), ("to_unit__isnull", False)),
                    models.Q(
                        ("kind", "institution"), models.Q(("institution_name", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="rehab_transfer_destination",
            ),
        ),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "declined"), _negated=True),
                    models.Q(("decline_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="rehab_transfer_decline_reason",
            ),
        ),
        migrations.AddIndex(
            model_name="waitinglistentry",
            index=models.Index(
                condition=models.Q(("status", "waiting")),
                fields=["unit", "priority", "requested_on"],
                name="rehab_waiting_open_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="waitinglistentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "waiting")),
                fields=("case",),
                name="rehab_waiting_one_per_case",
            ),
        ),
        migrations.AddConstraint(
            model_name="waitinglistentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), _negated=True),
                    models.Q(("cancel_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="rehab_waiting_cancel_reason",
            ),
        ),
        migrations.RunPython(load_movement_types, unload_movement_types),
    ]
