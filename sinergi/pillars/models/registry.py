"""The registry: social pillar members and their training records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.identity import Sex
from sinergi.core.models import BaseModel
from sinergi.pillars.models.reference import Bank, PillarType


class AuditAction(models.TextChoices):
    """The audit actions of this app (AuditEvent.action values)."""

    MEMBER_CREATED = "pillars.member_created", _("Pillar member registered")
    MEMBER_UPDATED = "pillars.member_updated", _("Pillar member changed")
    MEMBER_STATUS_CHANGED = "pillars.member_status_changed", _("Pillar member status changed")
    MEMBER_ACCOUNT_CHANGED = (
        "pillars.member_account_changed",
        _("Pillar member bank account changed"),
    )
    MEMBER_VIEWED = "pillars.member_viewed", _("Pillar member record opened")
    TRAINING_ADDED = "pillars.training_added", _("Training record added")
    RATE_ADDED = "pillars.rate_added", _("Aid rate added")
    FUNDING_SET = "pillars.funding_set", _("Budget line of an aid scheme set")
    CYCLE_GENERATED = "pillars.cycle_generated", _("Quarterly entitlements generated")
    BATCH_APPROVED = "pillars.batch_approved", _("Payment batch approved")
    BANK_FILE_EXPORTED = "pillars.bank_file_exported", _("Bank transfer file exported")
    NOMINATIVE_PRINTED = "pillars.nominative_printed", _("Daftar nominatif printed")
    RESULT_APPLIED = "pillars.result_applied", _("Bank result file applied")
    FOLLOW_UP_CREATED = "pillars.follow_up_created", _("Follow-up batch created")
    ENTITLEMENT_EXCLUDED = "pillars.entitlement_excluded", _("Entitlement excluded")
    LAYOUT_SAVED = "pillars.layout_saved", _("Bank file layout saved")
    REFERENCE_LOADED = "pillars.reference_loaded", _("Pillar reference data loaded")


class MemberRole(models.TextChoices):
    PROVINCIAL_COORDINATOR = "provincial_coordinator", _("Provincial coordinator")
    REGENCY_COORDINATOR = "regency_coordinator", _("Regency/city coordinator")
    DISTRICT_COORDINATOR = "district_coordinator", _("District coordinator")
    MEMBER = "member", _("Member")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Member(BaseModel):
    """One person serving as one type of social pillar, with their duty area and bank account.

    `account_ready` is kept by the services: a bank, an account number of the bank's length and a
    holder name matching the member's (or confirmed by an officer). Only ready accounts are paid.
    """

    pillar_type = models.ForeignKey(
        PillarType, on_delete=models.PROTECT, related_name="members", verbose_name=_("pillar type")
    )
    role = models.CharField(
        _("role"), max_length=24, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    born_on = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    regency = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regency/city of duty"),
    )
    district = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan of duty"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("managing unit"),
    )
    member_number = models.CharField(_("member number (NIA/ID)"), max_length=40, blank=True)
    decree_number = models.CharField(_("SK number"), max_length=100, blank=True)
    decree_on = models.DateField(_("SK date"), null=True, blank=True)
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason for the status"), max_length=255, blank=True)
    bank = models.ForeignKey(
        Bank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank"),
    )
    account_number = models.CharField(_("account number"), max_length=30, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=150, blank=True)
    holder_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("holder name confirmed by"),
    )
    holder_confirmed_at = models.DateTimeField(_("holder name confirmed at"), null=True, blank=True)
    account_ready = models.BooleanField(_("account ready for transfers"), default=False)
    # Copied from the pillar type, so the one-per-kecamatan rule is a partial unique index.
    district_exclusive = models.BooleanField(default=False, editable=False)
    employee = models.ForeignKey(
        "staff.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employee record"),
    )

    class Meta:
        verbose_name = _("pillar member")
        verbose_name_plural = _("pillar members")
        ordering = ["name", "id"]
        permissions = [("import_member", "Can import pillar members from a spreadsheet")]
        constraints = [
            models.UniqueConstraint(fields=["pillar_type", "nik"], name="pillars_member_type_nik"),
            models.UniqueConstraint(
                fields=["district"],
                condition=models.Q(district_exclusive=True) & ~models.Q(status="ended"),
                name="pillars_one_tksk_per_district",
            ),
            models.UniqueConstraint(
                fields=["bank", "account_number"],
                condition=~models.Q(account_number=""),
                name="pillars_member_account_uniq",
            ),
            models.UniqueConstraint(
                fields=["pillar_type", "employee"],
                condition=models.Q(employee__isnull=False),
                name="pillars_member_employee_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="pillars_member_name_idx"),
            models.Index(fields=["pillar_type", "name", "id"], name="pillars_member_type_idx"),
            models.Index(fields=["regency", "name", "id"], name="pillars_member_regency_idx"),
            models.Index(fields=["district", "name", "id"], name="pillars_member_district_idx"),
            models.Index(fields=["status", "name", "id"], name="pillars_member_status_idx"),
            models.Index(fields=["unit", "name", "id"], name="pillars_member_unit_idx"),
            models.Index(fields=["nik"], name="pillars_member_nik_idx"),
        ]

    # Set by services.member_update: the new name no longer matches the account holder.
    holder_needs_confirmation = False

    def __str__(self) -> str:
        return self.name

    @property
    def holder_matches(self) -> bool:
        return normalise_name(self.account_holder) == normalise_name(self.name)


def normalise_name(name: str) -> str:
    """Names compared as banks print them: upper case, letters and single spaces, no titles' dots."""
    kept = "".join(ch if ch.isalnum() else " " for ch in (name or "").upper())
    return " ".join(kept.split())


def certificate_path(instance: "Training", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"pillars/certificates/{instance.member_id}/{instance.pk or 'new'}.{suffix}"


class Training(BaseModel):
    """A course a member followed (e.g. at BPSDM), with the certificate."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("member")
    )
    course = models.CharField(_("course"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=150)
    held_on = models.DateField(_("date"))
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    certificate = models.FileField(
        _("certificate file"), upload_to=certificate_path, max_length=255, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.course
