"""Clients (penerima manfaat) and their cases: one case is one stay of a client in one UPT."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.identity import Sex
from sinergi.core.models import BaseModel
from sinergi.organisation.fields import validate_kk_region, validate_nik_region
from sinergi.rehabilitation.models.reference import (
    DisabilityType,
    PpksCategory,
    ReferralSource,
    Stage,
    TerminationReason,
)


class AuditAction(models.TextChoices):
    """The audit actions of this app (AuditEvent.action values)."""

    CLIENT_CREATED = "rehabilitation.client_created", _("Client registered")
    CLIENT_UPDATED = "rehabilitation.client_updated", _("Client changed")
    CLIENT_VIEWED = "rehabilitation.client_viewed", _("Client file opened")
    CASE_OPENED = "rehabilitation.case_opened", _("Case opened")
    CASE_VIEWED = "rehabilitation.case_viewed", _("Case opened for reading")
    CASE_STAGE_CHANGED = "rehabilitation.case_stage_changed", _("Case moved to another stage")
    CASE_STAGE_APPROVED = "rehabilitation.case_stage_approved", _("Case stage approved")
    ASSESSMENT_RECORDED = "rehabilitation.assessment_recorded", _("Assessment recorded")
    FOLLOW_UP_RECORDED = "rehabilitation.follow_up_recorded", _("Aftercare follow-up recorded")
    CASE_CLOSED = "rehabilitation.case_closed", _("Case closed")
    REFERENCE_LOADED = "rehabilitation.reference_loaded", _("Rehabilitation reference data loaded")


class Client(BaseModel):
    """A person served by a UPT. The same NIK is the same person in every UPT."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_nik_region],
    )
    no_nik_reason = models.CharField(
        _("reason there is no NIK yet"),
        max_length=255,
        blank=True,
        help_text=_("For example: found in a street raid without documents."),
    )
    kk_number = models.CharField(
        _("KK number"), max_length=16, blank=True, validators=[validate_kk_region]
    )
    name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_on = models.DateField(_("date of birth"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    village = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village (desa/kelurahan)"),
    )
    # Derived from the village (its first 5 characters): the likely-duplicate check filters on it.
    regency = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("regency/city"),
    )
    ppks_category = models.ForeignKey(
        PpksCategory, on_delete=models.PROTECT, verbose_name=_("PPKS category")
    )
    disability_type = models.ForeignKey(
        DisabilityType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("disability type"),
    )
    referral_source = models.ForeignKey(
        ReferralSource, on_delete=models.PROTECT, verbose_name=_("referral source")
    )
    guardian_name = models.CharField(_("guardian or family contact"), max_length=150, blank=True)
    guardian_relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=40, blank=True)
    dtsen_desil = models.PositiveSmallIntegerField(
        _("DTSEN decile"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 (poorest) to 10, from DTSEN, when known."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # Optimistic locking of client edits (services.clients.client_update), as on cases.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="rehab_client_name_idx"),
            models.Index(fields=["birth_on", "regency"], name="rehab_client_birth_reg_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nik__isnull=False) | ~models.Q(no_nik_reason=""),
                name="rehab_client_nik_or_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(dtsen_desil__isnull=True)
                | models.Q(dtsen_desil__gte=1, dtsen_desil__lte=10),
                name="rehab_client_desil_1_10",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels and admin lists: never the name or NIK (personal data stays in the record).
        return f"PM {str(self.pk)[:8]}"

    @property
    def masked_nik(self) -> str:
        """The NIK with the birth date and serial hidden, for lists (UU 27/2022)."""
        return f"{self.nik[:6]}••••••••••" if self.nik else ""


class Case(BaseModel):
    """One stay of a client in one UPT, moving through the stages."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("case status", "Open")
        CLOSED = "closed", pgettext_lazy("case status", "Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="rehabilitation_cases",
        verbose_name=_("UPT"),
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rehabilitation_cases",
        verbose_name=_("social worker"),
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, verbose_name=_("stage"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    admitted_on = models.DateField(_("admitted on"))
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    stage_approved_at = models.DateTimeField(_("stage approved at"), null=True, blank=True)
    stage_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stage approved by"),
    )
    termination_reason = models.ForeignKey(
        TerminationReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("termination reason"),
    )
    termination_on = models.DateField(_("termination date"), null=True, blank=True)
    destination_address = models.CharField(
        _("destination address"),
        max_length=255,
        blank=True,
        help_text=_("Where the client goes after the termination (family, institution, work)."),
    )
    destination_region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destination region"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-admitted_on", "id"]
        permissions = [
            ("approve_case", "Can approve the plan and the termination of a case"),
            ("change_any_case", "Can change any case of the unit, not only assigned ones"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "stage"], name="rehab_case_unit_stage_idx"),
            models.Index(fields=["social_worker", "status"], name="rehab_case_worker_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(status="open"),
                name="rehab_case_one_open_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"Kasus {str(self.pk)[:8]}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseEvent(models.Model):
    """The history of a case: intake, each stage change (with why), each approval."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        ADVANCED = "advanced", _("Moved to the next stage")
        SKIPPED = "skipped", _("Stage skipped")
        APPROVED = "approved", _("Stage approved")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from stage"),
    )
    to_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage")
    )
    reason = models.TextField(_("reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="rehab_caseevent_case_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
