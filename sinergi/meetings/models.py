"""Coordination meetings (Rakortek): a meeting for a period, one report per expected unit (prefilled
with its indicator achievements and budget absorption, kept as a snapshot when saved), the
follow-up actions agreed, and the compiled PDF of all reports."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import BaseModel


class AuditAction(models.TextChoices):
    MEETING_CREATED = "meetings.meeting_created", _("Coordination meeting created")
    REPORT_SAVED = "meetings.report_saved", _("Meeting report saved")
    REPORT_SUBMITTED = "meetings.report_submitted", _("Meeting report submitted")
    REPORT_REOPENED = "meetings.report_reopened", _("Meeting report reopened")
    FOLLOW_UP_CREATED = "meetings.follow_up_created", _("Follow-up action created")
    FOLLOW_UP_UPDATED = "meetings.follow_up_updated", _("Follow-up action updated")
    COMPILED = "meetings.compiled", _("Meeting reports compiled")


class Meeting(BaseModel):
    title = models.CharField(_("title"), max_length=250)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    held_on = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=250)
    deadline_on = models.DateField(_("reports due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        ordering = ["-held_on", "-id"]
        permissions = [
            ("view_rakortek", "Can read coordination meetings and the reports of their scope"),
            ("submit_rakortek", "Can write and submit the meeting report of their unit"),
            ("manage_rakortek", "Can create meetings, compile reports and set follow-up actions"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(quarter__isnull=True) | models.Q(month__isnull=True)),
                name="meetings_one_period_kind",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_quarter(self) -> int:
        """The quarter of the period (of the month, for a monthly meeting)."""
        if self.quarter:
            return self.quarter
        return ((self.month or 12) - 1) // 3 + 1

    @property
    def period_month(self) -> int:
        """The last month of the period (budget absorption is read up to its end)."""
        return self.month or (self.quarter or 4) * 3


class Report(BaseModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("meeting")
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="meeting_reports",
        verbose_name=_("unit"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.TextField(_("progress of activities"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    follow_up_needed = models.TextField(_("follow-up needed"), blank=True)
    achievements = models.JSONField(_("indicator achievements"), default=list, blank=True)
    absorption = models.JSONField(_("budget absorption"), default=dict, blank=True)
    snapshot_at = models.DateTimeField(_("figures as of"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        verbose_name = _("meeting report")
        verbose_name_plural = _("meeting reports")
        ordering = ["meeting", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="meetings_report_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.unit}"

    @property
    def is_late(self) -> bool:
        """Submitted after the deadline, or still not submitted once it has passed."""
        deadline = self.meeting.deadline_on
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > deadline
        return timezone.localdate() > deadline

    @property
    def average_achievement(self) -> float | None:
        values = [float(a["achievement"]) for a in self.achievements if a.get("achievement")]
        return round(sum(values) / len(values), 2) if values else None


class FollowUp(BaseModel):
    class Status(models.TextChoices):
        # with a context: other apps translate a bare "Open" differently ("Aktif", "Buka")
        OPEN = "open", pgettext_lazy("follow-up action", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("follow-up action", "In progress")
        DONE = "done", pgettext_lazy("follow-up action", "Done")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting")
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("from the report of"),
    )
    owner_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="meeting_follow_ups",
        verbose_name=_("responsible unit"),
    )
    description = models.TextField(pgettext_lazy("follow-up", "action"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("progress note"), blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner_unit", "due_on", "id"], name="meetings_fu_owner_idx")
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_overdue(self) -> bool:
        """Not done and its due date has passed (in Asia/Jakarta)."""
        return self.status != self.Status.DONE and self.due_on < timezone.localdate()


class FollowUpUpdate(BaseModel):
    """One step in the history of an action: who set which status with which note, and when."""

    follow_up = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=pgettext_lazy("follow-up", "action"),
    )
    status = models.CharField(_("status"), max_length=12, choices=FollowUp.Status.choices)
    note = models.TextField(_("progress note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")
        ordering = ["follow_up", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.status}"


def compilation_path(instance: "Compilation", filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{instance.pk}.pdf"


class Compilation(BaseModel):
    """One compiled PDF of a meeting's reports (written in the background for many units)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        """What a running compilation is doing, with the share of the work done before it."""

        WAITING = "waiting", _("Waiting for its turn")
        READING = "reading", _("Reading the reports")
        LAYING_OUT = "laying_out", _("Laying out the pages")
        SAVING = "saving", _("Saving the file")
        FINISHED = "finished", _("Finished")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="compilations", verbose_name=_("meeting")
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices, default=Step.WAITING)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    unit_count = models.PositiveIntegerField(_("units"), default=0)
    file = models.FileField(_("file"), upload_to=compilation_path, max_length=255, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compiled report")
        verbose_name_plural = _("compiled reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def is_stalled(self) -> bool:
        """Running but without any progress for longer than the stalled-work limit (its worker
        died or the server restarted): the planning officer may start a new one."""
        limit: Any = settings.SINERGI.get("STALLED_WORK_MINUTES", 60)
        return self.is_running and self.updated_at < timezone.now() - dt.timedelta(
            minutes=int(limit)
        )
