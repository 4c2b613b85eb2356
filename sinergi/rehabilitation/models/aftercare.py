"""Aftercare (bimbingan lanjut, stage 7): the follow-up schedule and the follow-ups of a case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.rehabilitation.models.cases import Case
from sinergi.rehabilitation.models.reference import ReferenceItem


class AftercareInterval(ReferenceItem):
    """When a follow-up is due: `months` after the termination date (practice, configurable)."""

    months = models.PositiveSmallIntegerField(_("months after termination"))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("aftercare interval")
        verbose_name_plural = _("aftercare intervals")


class FollowUp(models.Model):
    """One scheduled aftercare follow-up of a case, and what was found when it was done."""

    class Method(models.TextChoices):
        VISIT = "visit", _("Home visit")
        PHONE = "phone", _("Phone call")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("case")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    months = models.PositiveSmallIntegerField(_("months after termination"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    condition = models.TextField(_("condition of the client"), blank=True)
    problems = models.TextField(_("problems found"), blank=True)
    action = models.TextField(_("action taken"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("aftercare follow-up")
        verbose_name_plural = _("aftercare follow-ups")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="rehab_followup_case_number")
        ]
        indexes = [models.Index(fields=["due_on", "done_on"], name="rehab_followup_due_idx")]

    def __str__(self) -> str:
        return f"Bimbingan lanjut {self.number} ({self.due_on:%Y-%m-%d})"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: object) -> bool:
        return self.done_on is None and self.due_on <= today  # type: ignore[operator]
