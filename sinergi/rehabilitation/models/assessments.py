"""The assessment engine: instrument -> items -> options with scores -> bands, all data.

An Instrument row is one VERSION of an instrument (Barthel 0-20 and Barthel 0-100 are two rows);
an assessment points at the version it used and stores every item's score, not only the total.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.rehabilitation.models.cases import Case


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    effective_from = models.DateField(_("effective from"))
    reassess_every_days = models.PositiveSmallIntegerField(
        _("re-assess every (days)"),
        null=True,
        blank=True,
        help_text=_("An open case whose last assessment is older than this is due again."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessment instrument")
        verbose_name_plural = _("assessment instruments")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rehab_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class InstrumentItem(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="items", verbose_name=_("instrument")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("item"), max_length=200)

    class Meta:
        verbose_name = _("instrument item")
        verbose_name_plural = _("instrument items")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="rehab_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class InstrumentOption(models.Model):
    item = models.ForeignKey(
        InstrumentItem, on_delete=models.CASCADE, related_name="options", verbose_name=_("item")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    label = models.CharField(_("answer"), max_length=200)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["item", "score"]
        constraints = [models.UniqueConstraint(fields=["item", "score"], name="rehab_option_score")]

    def __str__(self) -> str:
        return f"{self.score} {self.label}"


class InstrumentBand(models.Model):
    """A range of total scores and its category (e.g. 12-19 "Ketergantungan ringan")."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="bands", verbose_name=_("instrument")
    )
    min_score = models.PositiveSmallIntegerField(_("from score"))
    max_score = models.PositiveSmallIntegerField(_("to score"))
    label = models.CharField(_("category"), max_length=100)

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["instrument", "-min_score"]

    def __str__(self) -> str:
        return f"{self.min_score}-{self.max_score} {self.label}"


class Assessment(BaseModel):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("case")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("assessor"),
    )
    total_score = models.PositiveSmallIntegerField(_("total score"))
    band_label = models.CharField(_("category"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["assessed_on", "id"]
        indexes = [
            models.Index(fields=["case", "instrument", "assessed_on"], name="rehab_assess_case_idx")
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.assessed_on}"


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    item = models.ForeignKey(
        InstrumentItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    option = models.ForeignKey(
        InstrumentOption, on_delete=models.PROTECT, related_name="+", verbose_name=_("answer")
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        ordering = ["assessment", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="rehab_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"
