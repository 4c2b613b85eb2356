"""Casework: the intervention plan (revisions, goals, planned services), the service log with group
sessions, progress notes and case conferences; the reference flags `Stage.records_plan` and
`TerminationReason.goal_reached` (set from rehabilitation/data/); and, on PostgreSQL only, a trigram
index on client names so the name search of the client list stays fast at 200k clients.
"""

import csv
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

DATA = Path(__file__).resolve().parent.parent / "data"
NAME_INDEX = "rehab_client_name_trgm_idx"


def _codes(filename, column):
    with (DATA / filename).open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle) if row.get(column) == "true"]


def set_flags(apps, schema_editor):
    stage = apps.get_model("rehabilitation", "Stage")
    reason = apps.get_model("rehabilitation", "TerminationReason")
    stage.objects.filter(code__in=_codes("stages.csv", "records_plan")).update(records_plan=True)
    reason.objects.filter(code__in=_codes("termination_reasons.csv", "goal_reached")).update(
        goal_reached=True
    )


def create_name_index(apps, schema_editor):
    # Django spells name__icontains as UPPER("name"::text) LIKE UPPER(%s): index that expression.
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:  # a missing privilege must not block the migration
        print(f"\n  pg_trgm is not available ({type(exc).__name__}); no client name index.")
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON rehabilitation_client "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0002_region_name_trigram_index"),
        ("rehabilitation", "0005_residential"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="stage",
            name="records_plan",
            field=models.BooleanField(
                default=False,
                help_text="The intervention plan is drafted in this stage; approving the stage approves the plan.",
                verbose_name="records the intervention plan",
            ),
        ),
        migrations.AddField(
            model_name="terminationreason",
            name="goal_reached",
            field=models.BooleanField(
                default=False,
                help_text="Counted as a client who became independent (metric clients_independent).",
                verbose_name="means the goal was reached",
            ),
        ),
        migrations.CreateModel(
            name="GroupSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("given_on", models.DateField(verbose_name="date")),
                ("topic", models.CharField(max_length=200, verbose_name="topic")),
                (
                    "provider_name",
                    models.CharField(
                        blank=True, max_length=150, verbose_name="provider (external)"
                    ),
                ),
                (
                    "duration_minutes",
                    models.PositiveSmallIntegerField(verbose_name="duration (minutes)"),
                ),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                (
                    "provider",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="provider (staff)",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "service_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.servicetype",
                        verbose_name="service type",
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
                "verbose_name": "group session",
                "verbose_name_plural": "group sessions",
                "ordering": ["-given_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="InterventionPlan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("revision", models.PositiveSmallIntegerField(default=1, verbose_name="revision")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("approved", "Approved"),
                            ("superseded", "Superseded"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                (
                    "client_agreed",
                    models.BooleanField(
                        default=False,
                        help_text="The client or the family agreed to the plan (DOMAIN.md 1.2 stage 3).",
                        verbose_name="agreed with the client or family",
                    ),
                ),
                (
                    "approved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="approved at"),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="approved by",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plans",
                        to="rehabilitation.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "drafted_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="drafted by",
                    ),
                ),
            ],
            options={
                "verbose_name": "intervention plan",
                "verbose_name_plural": "intervention plans",
                "ordering": ["case", "-revision"],
            },
        ),
        migrations.CreateModel(
            name="PlanGoal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                ("problem", models.TextField(verbose_name="problem")),
                ("goal", models.TextField(verbose_name="goal")),
                ("indicator", models.TextField(verbose_name="indicator of success")),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="goals",
                        to="rehabilitation.interventionplan",
                        verbose_name="plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "plan goal",
                "verbose_name_plural": "plan goals",
                "ordering": ["plan", "number"],
            },
        ),
        migrations.CreateModel(
            name="PlannedService",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("times", models.PositiveSmallIntegerField(default=1, verbose_name="times")),
                (
                    "period",
                    models.CharField(
                        choices=[("week", "per week"), ("month", "per month")],
                        default="week",
                        max_length=6,
                        verbose_name="period",
                    ),
                ),
                ("start_on", models.DateField(verbose_name="start on")),
                ("target_on", models.DateField(verbose_name="target date")),
                ("notes", models.CharField(blank=True, max_length=255, verbose_name="notes")),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="planned_services",
                        to="rehabilitation.interventionplan",
                        verbose_name="plan",
                    ),
                ),
                (
                    "responsible",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="responsible staff",
                    ),
                ),
                (
                    "service_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.servicetype",
                        verbose_name="service type",
                    ),
                ),
            ],
            options={
                "verbose_name": "planned service",
                "verbose_name_plural": "planned services",
                "ordering": ["plan", "start_on", "id"],
            },
        ),
        migrations.CreateModel(
            name="ProgressNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("written_on", models.DateField(verbose_name="date")),
                ("text", models.TextField(verbose_name="note")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="progress_notes",
                        to="rehabilitation.case",
                        verbose_name="case",
                    ),
                ),
            ],
            options={
                "verbose_name": "progress note",
                "verbose_name_plural": "progress notes",
                "ordering": ["-written_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ServiceEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("given_on", models.DateField(verbose_name="date")),
                (
                    "provider_name",
                    models.CharField(
                        blank=True, max_length=150, verbose_name="provider (external)"
                    ),
                ),
                (
                    "attendance",
                    models.CharField(
                        choices=[
                            ("present", "Present"),
                            ("absent", "Absent"),
                            ("excused", "Excused"),
                        ],
                        default="present",
                        max_length=8,
                        verbose_name="attendance",
                    ),
                ),
                (
                    "duration_minutes",
                    models.PositiveSmallIntegerField(verbose_name="duration (minutes)"),
                ),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="service_entries",
                        to="rehabilitation.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "group_session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="rehabilitation.groupsession",
                        verbose_name="group session",
                    ),
                ),
                (
                    "provider",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="provider (staff)",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "service_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rehabilitation.servicetype",
                        verbose_name="service type",
                    ),
                ),
            ],
            options={
                "verbose_name": "service log entry",
                "verbose_name_plural": "service log entries",
                "ordering": ["-given_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="CaseConference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("held_on", models.DateField(verbose_name="date")),
                ("participants", models.TextField(verbose_name="participants")),
                ("discussion", models.TextField(verbose_name="discussion")),
                ("decisions", models.TextField(verbose_name="decisions")),
                ("next_steps", models.TextField(blank=True, verbose_name="next steps")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conferences",
                        to="rehabilitation.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "case conference",
                "verbose_name_plural": "case conferences",
                "ordering": ["-held_on", "-id"],
                "indexes": [
                    models.Index(fields=["case", "-held_on"], name="rehab_conference_case_idx")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="groupsession",
            index=models.Index(fields=["unit", "given_on"], name="rehab_groupsess_unit_idx"),
        ),
        migrations.AddConstraint(
            model_name="interventionplan",
            constraint=models.UniqueConstraint(
                fields=("case", "revision"), name="rehab_plan_case_revision"
            ),
        ),
        migrations.AddConstraint(
            model_name="interventionplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "superseded"), _negated=True),
                fields=("case",),
                name="rehab_plan_one_current_per_case",
            ),
        ),
        migrations.AddConstraint(
            model_name="plangoal",
            constraint=models.UniqueConstraint(
                fields=("plan", "number"), name="rehab_goal_plan_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="plannedservice",
            constraint=models.CheckConstraint(
                condition=models.Q(("target_on__gte", models.F("start_on"))),
                name="rehab_planned_service_dates",
            ),
        ),
        migrations.AddConstraint(
            model_name="plannedservice",
            constraint=models.CheckConstraint(
                condition=models.Q(("times__gte", 1)), name="rehab_planned_times"
            ),
        ),
        migrations.AddIndex(
            model_name="progressnote",
            index=models.Index(fields=["case", "-written_on", "-id"], name="rehab_note_case_idx"),
        ),
        migrations.AddIndex(
            model_name="serviceentry",
            index=models.Index(fields=["case", "-given_on", "-id"], name="rehab_service_case_idx"),
        ),
        migrations.AddIndex(
            model_name="serviceentry",
            index=models.Index(
                fields=["case", "service_type", "given_on"], name="rehab_service_type_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="serviceentry",
            index=models.Index(fields=["provider", "given_on"], name="rehab_service_provider_idx"),
        ),
        migrations.AddConstraint(
            model_name="serviceentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("provider__isnull", False),
                    models.Q(("provider_name", ""), _negated=True),
                    _connector="OR",
                ),
                name="rehab_service_has_provider",
            ),
        ),
        migrations.RunPython(set_flags, migrations.RunPython.noop),
        migrations.RunPython(create_name_index, drop_name_index),
    ]
