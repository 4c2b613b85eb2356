"""Transfer of a case to another UPT, or referral to an institution outside the office.

Decision (docs/guide/11-hunian.md): a transfer to another UPT that the receiving UPT accepts closes
the sending case (termination reason "dirujuk", destination = the receiving UPT) and opens a NEW case
in the receiving UPT at the same stage, linked through `Transfer.new_case`. A case stays "one stay in
one UPT", so the sender keeps reading its own case (its UPT did not change) and never sees the new
one; the receiver sees the new case, and the sending case's history through the transfer page.
A referral outside the office needs no acknowledgement: the case is closed at once with the
institution as its destination.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.rehabilitation.models.cases import Case


class TransferAuditAction(models.TextChoices):
    """The audit actions of transfers (AuditEvent.action values)."""

    TRANSFER_REQUESTED = "rehabilitation.transfer_requested", _("Transfer requested")
    TRANSFER_ACCEPTED = "rehabilitation.transfer_accepted", _("Transfer accepted")
    TRANSFER_DECLINED = "rehabilitation.transfer_declined", _("Transfer declined")
    TRANSFER_CANCELLED = "rehabilitation.transfer_cancelled", _("Transfer cancelled")
    REFERRED_OUTSIDE = "rehabilitation.referred_outside", _("Referred to an outside institution")
    TRANSFER_VIEWED = "rehabilitation.transfer_viewed", _("Transferred case history read")


class Transfer(BaseModel):
    """A case sent to another UPT (acknowledged by it) or to an outside institution."""

    class Kind(models.TextChoices):
        UPT = "upt", _("Another UPT")
        INSTITUTION = "institution", _("An outside institution")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving UPT")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Referred (case closed)")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("case")
    )
    from_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sending UPT"),
    )
    kind = models.CharField(_("destination"), max_length=12, choices=Kind.choices)
    to_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving UPT"),
    )
    institution_name = models.CharField(_("institution"), max_length=200, blank=True)
    institution_address = models.CharField(_("institution address"), max_length=255, blank=True)
    reason = models.TextField(_("reason for the transfer"))
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    new_case = models.OneToOneField(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_in",
        verbose_name=_("case in the receiving UPT"),
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_on", "-id"]
        permissions = [
            ("acknowledge_transfer", "Can accept or decline a transfer into the UPT"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="rehab_transfer_one_pending",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="upt") & models.Q(to_unit__isnull=False))
                | (models.Q(kind="institution") & ~models.Q(institution_name="")),
                name="rehab_transfer_destination",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="rehab_transfer_decline_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["to_unit", "status"], name="rehab_transfer_to_idx"),
            models.Index(fields=["from_unit", "status"], name="rehab_transfer_from_idx"),
        ]

    def __str__(self) -> str:
        return f"Rujukan {self.pk}"

    @property
    def destination_label(self) -> str:
        if self.kind == self.Kind.UPT and self.to_unit is not None:
            return self.to_unit.name
        return ", ".join(p for p in [self.institution_name, self.institution_address] if p)


__all__ = ["Transfer", "TransferAuditAction"]
