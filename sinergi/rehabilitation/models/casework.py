"""Casework of a case: the intervention plan (goals and planned services, kept per revision), the
service log (single sessions and group sessions), progress notes and case conferences.

DOMAIN.md 1.2 stages 3 and 4; the service types are the 11 forms of PP 39/2012 Ps 7(1).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import BaseModel
from sinergi.rehabilitation.models.cases import Case
from sinergi.rehabilitation.models.reference import ServiceType


class CaseworkAuditAction(models.TextChoices):
    """The audit actions of the casework (AuditEvent.action values)."""

    PLAN_SAVED = "rehabilitation.plan_saved", _("Intervention plan saved")
    PLAN_REVISED = "rehabilitation.plan_revised", _("Intervention plan revised")
    PLAN_APPROVED = "rehabilitation.plan_approved", _("Intervention plan approved")
    SERVICE_RECORDED = "rehabilitation.service_recorded", _("Service recorded")
    GROUP_SESSION_RECORDED = (
        "rehabilitation.group_session_recorded",
        _("Group session recorded"),
    )
    PROGRESS_NOTE_ADDED = "rehabilitation.progress_note_added", _("Progress note written")
    CONFERENCE_RECORDED = "rehabilitation.conference_recorded", _("Case conference recorded")


class InterventionPlan(BaseModel):
    """One revision of the intervention plan of a case. The highest revision is the current one;
    editing an approved revision creates the next one (the approved one is kept, superseded)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "Draft")
        APPROVED = "approved", pgettext_lazy("plan status", "Approved")
        SUPERSEDED = "superseded", pgettext_lazy("plan status", "Superseded")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="plans", verbose_name=_("case")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    client_agreed = models.BooleanField(
        _("agreed with the client or family"),
        default=False,
        help_text=_("The client or the family agreed to the plan (DOMAIN.md 1.2 stage 3)."),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("intervention plan")
        verbose_name_plural = _("intervention plans")
        ordering = ["case", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["case", "revision"], name="rehab_plan_case_revision"),
            models.UniqueConstraint(
                fields=["case"],
                condition=~models.Q(status="superseded"),
                name="rehab_plan_one_current_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Rencana {str(self.case_id)[:8]} r{self.revision}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class PlanGoal(models.Model):
    """A problem of the client, the goal set for it and how success is recognised."""

    plan = models.ForeignKey(
        InterventionPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    problem = models.TextField(_("problem"))
    goal = models.TextField(_("goal"))
    indicator = models.TextField(_("indicator of success"))

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="rehab_goal_plan_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.goal[:60]}"


class Frequency(models.TextChoices):
    """How often a planned service is given: `times` per week or per month."""

    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


# The window in which a planned service's sessions are counted (task list: given too rarely).
FREQUENCY_WINDOW_DAYS = {Frequency.WEEK: 7, Frequency.MONTH: 30}


class PlannedService(models.Model):
    """A service of the plan: which of the 11 forms, how often, by whom, from when to when."""

    plan = models.ForeignKey(
        InterventionPlan,
        on_delete=models.CASCADE,
        related_name="planned_services",
        verbose_name=_("plan"),
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    times = models.PositiveSmallIntegerField(_("times"), default=1)
    period = models.CharField(
        _("period"), max_length=6, choices=Frequency.choices, default=Frequency.WEEK
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible staff"),
    )
    start_on = models.DateField(_("start on"))
    target_on = models.DateField(_("target date"))
    notes = models.CharField(_("notes"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        ordering = ["plan", "start_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_on__gte=models.F("start_on")),
                name="rehab_planned_service_dates",
            ),
            models.CheckConstraint(condition=models.Q(times__gte=1), name="rehab_planned_times"),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id} {self.times}x/{self.period}"


class Attendance(models.TextChoices):
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")
    EXCUSED = "excused", pgettext_lazy("attendance", "Excused")


class GroupSession(BaseModel):
    """One service given to many clients of a UPT at once (e.g. morning exercise)."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    given_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider (staff)"),
    )
    provider_name = models.CharField(_("provider (external)"), max_length=150, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["unit", "given_on"], name="rehab_groupsess_unit_idx")]

    def __str__(self) -> str:
        return f"{self.topic[:40]} {self.given_on}"


class ServiceEntry(models.Model):
    """One service given to one client (the service log). A group session writes one per client."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="service_entries", verbose_name=_("case")
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    given_on = models.DateField(_("date"))
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider (staff)"),
    )
    provider_name = models.CharField(_("provider (external)"), max_length=150, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=8, choices=Attendance.choices, default=Attendance.PRESENT
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    notes = models.TextField(_("notes"), blank=True)
    group_session = models.ForeignKey(
        GroupSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("group session"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("service log entry")
        verbose_name_plural = _("service log entries")
        ordering = ["-given_on", "-id"]
        indexes = [
            # The case page pages its log newest first; the task list counts per type in a window.
            models.Index(fields=["case", "-given_on", "-id"], name="rehab_service_case_idx"),
            models.Index(
                fields=["case", "service_type", "given_on"], name="rehab_service_type_idx"
            ),
            models.Index(fields=["provider", "given_on"], name="rehab_service_provider_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provider__isnull=False) | ~models.Q(provider_name=""),
                name="rehab_service_has_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id} {self.given_on}"

    @property
    def provider_label(self) -> str:
        if self.provider is not None:
            return self.provider.get_full_name() or self.provider.get_username()
        return self.provider_name


class ProgressNote(BaseModel):
    """A dated narrative of how the client is doing, by its author."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="progress_notes", verbose_name=_("case")
    )
    written_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["case", "-written_on", "-id"], name="rehab_note_case_idx")]

    def __str__(self) -> str:
        return f"Catatan {self.written_on}"


class CaseConference(BaseModel):
    """A case conference (pembahasan kasus): who took part, what was discussed and decided."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("case")
    )
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    discussion = models.TextField(_("discussion"))
    decisions = models.TextField(_("decisions"))
    next_steps = models.TextField(_("next steps"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["case", "-held_on"], name="rehab_conference_case_idx")]

    def __str__(self) -> str:
        return f"Pembahasan kasus {self.held_on}"


# The permissions of the casework per role (merged into rehabilitation/roles.py GRANTS). Reading
# the casework needs `view_case`; approving a plan needs `approve_case` (both granted there).
CASEWORK_WRITE = [
    "rehabilitation.change_interventionplan",
    "rehabilitation.add_serviceentry",
    "rehabilitation.add_groupsession",
    "rehabilitation.add_progressnote",
    "rehabilitation.add_caseconference",
]
CASEWORK_GRANTS = {"social_worker": CASEWORK_WRITE, "head_of_upt": CASEWORK_WRITE}


__all__ = [
    "FREQUENCY_WINDOW_DAYS",
    "Attendance",
    "CaseConference",
    "CaseworkAuditAction",
    "Frequency",
    "GroupSession",
    "InterventionPlan",
    "PlanGoal",
    "PlannedService",
    "ProgressNote",
    "ServiceEntry",
]
