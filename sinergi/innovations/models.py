"""The registry of public-service innovations (Kovablik, DOMAIN.md 13.1): innovations of the
units with their effect indicators, evidence and competition entries. Stages are reference data."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel

NUMBER: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class AuditAction(models.TextChoices):
    INNOVATION_SAVED = "innovations.innovation_saved", _("Innovation saved")
    INNOVATION_PUBLISHED = "innovations.innovation_published", _("Innovation published")
    INNOVATION_UNPUBLISHED = "innovations.innovation_unpublished", _("Innovation withdrawn")
    INDICATOR_ADDED = "innovations.indicator_added", _("Effect indicator added")
    INDICATOR_CHANGED = "innovations.indicator_changed", _("Effect indicator changed")
    INDICATOR_REMOVED = "innovations.indicator_removed", _("Effect indicator removed")
    EVIDENCE_ADDED = "innovations.evidence_added", _("Innovation evidence added")
    EVIDENCE_REMOVED = "innovations.evidence_removed", _("Innovation evidence removed")
    ENTRY_ADDED = "innovations.entry_added", _("Competition entry added")
    ENTRY_CHANGED = "innovations.entry_changed", _("Competition entry changed")
    ENTRY_REMOVED = "innovations.entry_removed", _("Competition entry removed")


class Stage(models.Model):
    """Where an innovation stands: idea, trial, implemented, replicated."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("innovation stage")
        verbose_name_plural = _("innovation stages")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class CompetitionStage(models.Model):
    """How far an entry got in a competition (administrative selection ... award)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("competition stage")
        verbose_name_plural = _("competition stages")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Innovation(BaseModel):
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="innovations",
        verbose_name=_("unit"),
    )
    owner = models.CharField(
        _("innovator / team"),
        max_length=250,
        blank=True,
        help_text=_("Not shown on the public page."),
    )
    problem = models.TextField(_("problem addressed"))
    description = models.TextField(_("description"))
    started_on = models.DateField(_("start date"))
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage")
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        ordering = ["name", "id"]
        permissions = [
            ("register_innovation", "Can register and update the innovations of their unit"),
            ("publish_innovation", "Can publish innovations on the public page"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="innov_name_idx"),
            models.Index(
                fields=["name", "id"],
                name="innov_public_idx",
                condition=models.Q(is_published=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class EffectIndicator(models.Model):
    innovation = models.ForeignKey(
        Innovation,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("innovation"),
    )
    name = models.CharField(_("indicator"), max_length=250)
    before = models.DecimalField(_("before"), **NUMBER)
    after = models.DecimalField(_("after"), **NUMBER)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50)

    class Meta:
        verbose_name = _("effect indicator")
        verbose_name_plural = _("effect indicators")
        ordering = ["innovation", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def change(self) -> Decimal:
        return self.after - self.before


def evidence_upload_path(instance: "Evidence", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"innovations/{instance.innovation_id}/{instance.pk}.{suffix[:5]}"


class Evidence(BaseModel):
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("innovation")
    )
    title = models.CharField(_("title"), max_length=250)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["innovation", "id"]

    def __str__(self) -> str:
        return self.title


class CompetitionEntry(models.Model):
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="entries", verbose_name=_("innovation")
    )
    competition = models.CharField(_("competition"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    stage_reached = models.ForeignKey(
        CompetitionStage,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stage reached"),
    )
    result = models.CharField(_("result"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["innovation", "-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "competition", "year"], name="innov_entry_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competition} {self.year}"
