"""SAKIP internal evaluation (LKE, PermenPANRB 88/2021): the worksheet template of a year, the
evaluation of each unit with answers and evidence, its score and grade, and recommendations.

Weights, answer scales and grade bands are data (DOMAIN.md 5.2 and 5.3; the weights are
unconfirmed, so the planning officer can change them). Component weights add up to 100; within a
component the sub-component weights add up to 100 (their share of the component) and within a
sub-component the criterion weights add up to 100, so a criterion is worth
component x sub-component x criterion / 10,000 points and a full worksheet is worth 100 points.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel

WEIGHT: dict[str, Any] = {
    "max_digits": 6,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}
SCORE: dict[str, Any] = {"max_digits": 6, "decimal_places": 2}


class AuditAction(models.TextChoices):
    """The audit actions of this app (AuditEvent.action values)."""

    TEMPLATE_CREATED = "sakip.template_created", _("LKE template created")
    WEIGHTS_CHANGED = "sakip.weights_changed", _("LKE weights changed")
    EVALUATION_CREATED = "sakip.evaluation_created", _("SAKIP evaluation started")
    ANSWER_SAVED = "sakip.answer_saved", _("LKE answer saved")
    ANSWER_REVIEWED = "sakip.answer_reviewed", _("LKE answer reviewed")
    PREVIOUS_SCORE_SET = "sakip.previous_score_set", _("Last year's score set")
    EVALUATION_FINALISED = "sakip.evaluation_finalised", _("SAKIP evaluation finalised")
    EVALUATION_UNLOCKED = "sakip.evaluation_unlocked", _("SAKIP evaluation unlocked")
    RECOMMENDATION_SAVED = "sakip.recommendation_saved", _("Recommendation saved")
    RECOMMENDATION_FOLLOWED_UP = (
        "sakip.recommendation_followed_up",
        _("Recommendation follow-up recorded"),
    )


class GradeBand(models.Model):
    """A predikat of the final score: a score above `above` (and at most the next band) gets it.

    The lowest band has `above` = None: every score from 0 up to the next band (DOMAIN.md 5.3).
    """

    code = models.CharField(_("grade"), max_length=4, unique=True)
    name = models.CharField(_("interpretation"), max_length=100)
    above = models.DecimalField(_("score above"), null=True, blank=True, **SCORE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.code


class AnswerScale(models.Model):
    """A way of answering a criterion: Y/T, or A-E; the value of each option is data."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("answer scale")
        verbose_name_plural = _("answer scales")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AnswerOption(models.Model):
    scale = models.ForeignKey(
        AnswerScale, on_delete=models.CASCADE, related_name="options", verbose_name=_("scale")
    )
    code = models.CharField(_("answer"), max_length=4)
    label = models.CharField(_("meaning"), max_length=200)
    value = models.DecimalField(
        _("value (0-1)"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="sakip_option_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code} - {self.label}"


class Template(BaseModel):
    """The LKE of one year: components > sub-components > criteria, with their weights."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("LKE template")
        verbose_name_plural = _("LKE templates")
        ordering = ["-year"]
        permissions = [
            ("view_sakip", "Can read SAKIP evaluations"),
            ("answer_sakip", "Can answer the LKE of their own unit"),
            ("manage_sakip", "Can manage LKE templates, review and finalise evaluations"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class Component(models.Model):
    template = models.ForeignKey(
        Template, on_delete=models.CASCADE, related_name="components", verbose_name=_("template")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), **WEIGHT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="sakip_component_code_uniq")
        ]

    def __str__(self) -> str:
        return self.name


class SubComponent(models.Model):
    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="subcomponents",
        verbose_name=_("component"),
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight within the component (%)"), **WEIGHT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sub-component")
        verbose_name_plural = _("sub-components")
        ordering = ["component", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["component", "code"], name="sakip_subcomponent_uniq")
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    subcomponent = models.ForeignKey(
        SubComponent,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("sub-component"),
    )
    code = models.CharField(_("code"), max_length=12)
    text = models.TextField(_("criterion"))
    guidance = models.TextField(_("evidence expected"), blank=True)
    weight = models.DecimalField(_("weight within the sub-component (%)"), **WEIGHT)
    scale = models.ForeignKey(
        AnswerScale, on_delete=models.PROTECT, related_name="+", verbose_name=_("answer scale")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["subcomponent", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subcomponent", "code"], name="sakip_criterion_uniq")
        ]

    def __str__(self) -> str:
        return self.code


class Evaluation(BaseModel):
    """The evaluation of one unit (or the whole office) against the LKE of a year."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being filled in")
        FINAL = "final", _("Final")

    template = models.ForeignKey(
        Template, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("LKE")
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="sakip_evaluations",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    score = models.DecimalField(_("evaluation score"), null=True, blank=True, **SCORE)
    grade = models.CharField(_("grade"), max_length=4, blank=True)
    previous_score = models.DecimalField(
        _("last year's score"),
        null=True,
        blank=True,
        help_text=_("Used when last year's evaluation is not in Sinergi."),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        **SCORE,
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )

    class Meta:
        verbose_name = _("SAKIP evaluation")
        verbose_name_plural = _("SAKIP evaluations")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["template", "unit"], name="sakip_evaluation_uniq")
        ]
        indexes = [models.Index(fields=["unit", "year"], name="sakip_eval_unit_year_idx")]

    def __str__(self) -> str:
        return f"LKE {self.year} {self.unit}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


def evidence_upload_path(instance: "Answer", filename: str) -> str:
    # Never the user's file name on disk; the original name is kept in `evidence_filename`.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"sakip/evidence/{instance.evaluation_id}/{instance.criterion_id}.{suffix[:5]}"


class Answer(BaseModel):
    """The unit's answer to one criterion with its evidence, and the planning officer's review."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("evaluation")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    option = models.ForeignKey(
        AnswerOption,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answer"),
    )
    evidence_text = models.TextField(_("evidence (description)"), blank=True)
    evidence_link = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"), upload_to=evidence_upload_path, max_length=255, blank=True
    )
    evidence_filename = models.CharField(_("file name"), max_length=255, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    reviewed_option = models.ForeignKey(
        AnswerOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer after review"),
    )
    accepted = models.BooleanField(_("accepted"), null=True)
    review_note = models.TextField(_("review notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LKE answer")
        verbose_name_plural = _("LKE answers")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="sakip_answer_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.option_id}"

    @property
    def counted_option_id(self) -> int:
        """The evaluator's answer when the review changed it, else the unit's."""
        return self.reviewed_option_id or self.option_id


class Recommendation(BaseModel):
    """Something the evaluation asks a unit to improve, followed up until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not yet followed up")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("evaluation"),
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("component"),
    )
    text = models.TextField(_("recommendation"))
    owner_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="sakip_recommendations",
        verbose_name=_("responsible unit"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    follow_up = models.TextField(_("follow-up done"), blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on", "id"], name="sakip_reco_status_idx")]

    def __str__(self) -> str:
        return self.text[:80]
