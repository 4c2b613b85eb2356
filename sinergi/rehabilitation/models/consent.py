"""Consent of a client to the processing of their personal data (UU 27/2022 Ps 20-26).

One row is one consent to one scope (care, data sharing, publication), given by the client or by a
guardian (children: Ps 25; persons with disabilities: Ps 26), with the signed form as a document.
A withdrawal fills in the withdrawal fields of that row: rows are history and never deleted. A new
consent after a withdrawal is a new row, so at most one row per client and scope is in force.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.organisation.fields import validate_nik_region
from sinergi.rehabilitation.models.cases import Client
from sinergi.rehabilitation.models.documents import ClientDocument


class ConsentScope(models.TextChoices):
    """What the client agrees to (DOMAIN.md 11, system requirement 2)."""

    CARE = "care", _("Care and rehabilitation services")
    DATA_SHARING = "data_sharing", _("Sharing data with other agencies")
    PUBLICATION = "publication", _("Publication (photos, stories)")


class ConsentGiver(models.TextChoices):
    CLIENT = "client", _("The client")
    GUARDIAN = "guardian", _("A parent or guardian")


class ConsentRecord(BaseModel):
    """A consent to one scope, and its withdrawal when withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="consents", verbose_name=_("client")
    )
    scope = models.CharField(_("consent to"), max_length=20, choices=ConsentScope.choices)
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    guardian_name = models.CharField(_("guardian's name"), max_length=150, blank=True)
    guardian_relationship = models.CharField(
        _("guardian's relationship"), max_length=60, blank=True
    )
    guardian_nik = models.CharField(
        _("guardian's NIK"),
        max_length=16,
        blank=True,
        validators=[validate_nik_region],
    )
    consented_on = models.DateField(_("consented on"))
    form_document = models.ForeignKey(
        ClientDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed consent form"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-consented_on", "-created_at"]
        indexes = [
            models.Index(fields=["client", "scope", "withdrawn_on"], name="rehab_consent_state_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "scope"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="rehab_consent_one_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(given_by="client") | ~models.Q(guardian_name=""),
                name="rehab_consent_guardian_named",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="rehab_consent_withdrawal_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Persetujuan {self.scope} {str(self.pk)[:8]}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


__all__ = ["ConsentGiver", "ConsentRecord", "ConsentScope"]
