"""Reference data: the qualitative bands of achievement and of SPM, the provincial SPM services
(PP 2/2018 Ps 10) and the yearly SPM figures. Loaded by a data migration, editable."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import BaseModel


class Band(BaseModel):
    """A qualitative band of a percentage (e.g. "Sangat Baik" above 90).

    A value belongs to the band with the highest `minimum` it reaches: above the minimum, or equal
    to it when `inclusive`. A band without a minimum catches everything below the others.
    """

    class Scheme(models.TextChoices):
        ACHIEVEMENT = "achievement", _("Indicator achievement")
        SPM = "spm", _("SPM achievement")

    class Colour(models.TextChoices):
        GREEN = "success", _("Green")
        BLUE = "primary", _("Blue")
        TEAL = "info", _("Teal")
        AMBER = "warning", _("Amber")
        RED = "danger", _("Red")
        GREY = "secondary", _("Grey")

    scheme = models.CharField(_("scheme"), max_length=12, choices=Scheme.choices)
    label = models.CharField(_("label"), max_length=60)
    minimum = models.DecimalField(
        _("from (percent)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    inclusive = models.BooleanField(_("including the minimum"), default=False)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices)
    needs_attention = models.BooleanField(
        _("needs attention"),
        default=False,
        help_text=_("Indicators in this band get an explanatory note in the LKjIP draft."),
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        ordering = ["scheme", models.F("minimum").desc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="perf_band_label_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.label}"


class SpmService(BaseModel):
    """A basic service of the provincial social SPM (DOMAIN.md 3.2)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("service"), max_length=300)
    target_group = models.CharField(_("people served"), max_length=200)
    lead_unit_types = models.CharField(_("lead UPT types"), max_length=200, blank=True)
    metric_code = models.CharField(
        _("served count computed from"),
        max_length=100,
        blank=True,
        help_text=_("When set and registered, the number served comes from Sinergi's records."),
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("SPM service")
        verbose_name_plural = _("SPM services")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SpmFigure(BaseModel):
    """The year's figures of an SPM service: people needing it, people served, quality score."""

    service = models.ForeignKey(
        SpmService, on_delete=models.PROTECT, related_name="figures", verbose_name=_("service")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    needing = models.PositiveIntegerField(
        _("people needing the service"), validators=[MinValueValidator(0)]
    )
    served = models.PositiveIntegerField(_("people served"), null=True, blank=True)
    served_automatic = models.BooleanField(_("served count computed"), default=False)
    quality_score = models.DecimalField(
        _("quality score (mutu)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("SPM figure")
        verbose_name_plural = _("SPM figures")
        ordering = ["-year", "service__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["service", "year"], name="perf_spm_figure_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.year}"


__all__ = ["Band", "SpmFigure", "SpmService"]
