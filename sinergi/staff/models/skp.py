"""The annual SKP (PermenPANRB 6/2022): planned work results (RHK) with their indicators, and the
supervisor's periodic evaluation whose predikat comes from the matrix kept as reference data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel
from sinergi.staff.models.employees import Employee


class Rating(models.TextChoices):
    """The three-step rating scale of work results and of work behaviour (DOMAIN.md 7.3)."""

    ABOVE = "above", _("Above expectations")
    MEETS = "meets", _("Meets expectations")
    BELOW = "below", _("Below expectations")


class Predikat(models.Model):
    """A predikat (Sangat Baik ... Sangat Kurang): reference data loaded by a data migration."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("predikat")
        verbose_name_plural = _("predikat")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class PredikatRule(models.Model):
    """One cell of the predikat matrix: (rating of results, rating of behaviour) -> predikat."""

    results_rating = models.CharField(_("rating of work results"), max_length=10, choices=Rating)
    behaviour_rating = models.CharField(
        _("rating of work behaviour"), max_length=10, choices=Rating
    )
    predikat = models.ForeignKey(
        Predikat, on_delete=models.PROTECT, related_name="+", verbose_name=_("predikat")
    )
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        verbose_name = _("predikat matrix cell")
        verbose_name_plural = _("predikat matrix")
        constraints = [
            models.UniqueConstraint(
                fields=["results_rating", "behaviour_rating", "effective_from"],
                name="staff_predikat_rule_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.results_rating}/{self.behaviour_rating} -> {self.predikat_id}"


class BehaviourValue(models.Model):
    """A BerAKHLAK core value (work behaviour), shown to the supervisor when rating behaviour."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    meaning = models.CharField(_("meaning"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("BerAKHLAK value")
        verbose_name_plural = _("BerAKHLAK values")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class Skp(BaseModel):
    """The SKP of one employee for one year: draft -> submitted -> approved (or returned)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="skps", verbose_name=_("employee")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    return_note = models.TextField(_("note from the supervisor"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")
        ordering = ["-year", "id"]
        permissions = [
            ("approve_skp", "Can approve or return the SKP of subordinates"),
            ("evaluate_skp", "Can evaluate the work of subordinates"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="staff_skp_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="staff_skp_period_order",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="staff_skp_year_status_idx")]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee}"

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class Rhk(BaseModel):
    """A planned work result (Rencana Hasil Kerja), optionally cascaded from a supervisor's RHK."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main (utama)")
        ADDITIONAL = "additional", _("Additional (tambahan)")

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rhks", verbose_name="SKP")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MAIN)
    title = models.CharField(_("planned work result"), max_length=500)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cascaded",
        verbose_name=_("supervisor's RHK it supports (intervensi)"),
    )

    class Meta:
        verbose_name = _("planned work result (RHK)")
        verbose_name_plural = _("planned work results (RHK)")
        ordering = ["skp", "number"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "number"], name="staff_rhk_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class RhkIndicator(models.Model):
    """An individual performance indicator (IKI) of an RHK with its target, by aspect."""

    class Aspect(models.TextChoices):
        QUANTITY = "quantity", _("Quantity")
        QUALITY = "quality", _("Quality")
        TIME = "time", _("Time")

    rhk = models.ForeignKey(
        Rhk, on_delete=models.CASCADE, related_name="indicators", verbose_name="RHK"
    )
    aspect = models.CharField(_("aspect"), max_length=10, choices=Aspect.choices)
    description = models.CharField(_("indicator"), max_length=300)
    target = models.CharField(_("target"), max_length=100)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["rhk", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rhk", "aspect"], name="staff_indicator_one_per_aspect")
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.target}"


class Evaluation(BaseModel):
    """The supervisor's periodic evaluation of an SKP for months `month_from`..`month_to`."""

    skp = models.ForeignKey(
        Skp, on_delete=models.CASCADE, related_name="evaluations", verbose_name="SKP"
    )
    month_from = models.PositiveSmallIntegerField(_("from month"))
    month_to = models.PositiveSmallIntegerField(_("to month"))
    results_rating = models.CharField(_("rating of work results"), max_length=10, choices=Rating)
    behaviour_rating = models.CharField(
        _("rating of work behaviour"), max_length=10, choices=Rating
    )
    predikat = models.ForeignKey(
        Predikat, on_delete=models.PROTECT, related_name="+", verbose_name=_("predikat")
    )
    feedback = models.TextField(_("feedback"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluated by"),
    )

    class Meta:
        verbose_name = _("periodic evaluation")
        verbose_name_plural = _("periodic evaluations")
        ordering = ["skp", "month_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["skp", "month_from", "month_to"], name="staff_evaluation_period_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(month_from__gte=1)
                & models.Q(month_to__lte=12)
                & models.Q(month_to__gte=models.F("month_from")),
                name="staff_evaluation_months_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skp} {self.month_from}-{self.month_to}: {self.predikat}"
