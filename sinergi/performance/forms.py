"""HTML input of the performance pages (validation of the input only; the rules live in services)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.budget.models import SubKegiatan
from sinergi.core import metrics
from sinergi.organisation.models import Unit
from sinergi.performance.models import Band, Indicator, Objective, Polarity, QuarterMode


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


QUARTERS = [(1, _("Quarter I")), (2, _("Quarter II")), (3, _("Quarter III")), (4, _("Quarter IV"))]


class RealisationForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    value = forms.DecimalField(label=_("Realisation"), max_digits=18, decimal_places=4)
    evidence_text = forms.CharField(
        label=_("Evidence (description)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What shows the figure: a register, a report, minutes of a meeting..."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence (file)"),
        required=False,
        help_text=_("PDF, JPG, PNG, XLSX or DOCX, at most 5 MB."),
    )
    evidence_link = forms.URLField(label=_("Evidence (link)"), required=False, max_length=500)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class VerifyForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SubKegiatanChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.fiscal_year.year} · {obj.code} {obj.name}"


class IndicatorForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Indicator"), max_length=500)
    level = forms.ChoiceField(label=_("Level"), choices=Indicator.Level.choices)
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    objective = forms.ModelChoiceField(
        label=_("Objective (sasaran)"), queryset=Objective.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Supports the IKU"), queryset=Indicator.objects.none(), required=False
    )
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=60)
    polarity = forms.ChoiceField(label=_("Polarity"), choices=Polarity.choices)
    quarter_mode = forms.ChoiceField(label=_("Quarterly figures"), choices=QuarterMode.choices)
    data_source = forms.CharField(label=_("Data source"), max_length=255, required=False)
    formula = forms.CharField(
        label=_("Formula"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    metric_code = forms.ChoiceField(label=_("Computed from"), required=False)
    sub_kegiatan = SubKegiatanChoiceField(
        label=_("Sub kegiatan serving it"), queryset=SubKegiatan.objects.none(), required=False
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=100)

    def __init__(self, *args: Any, period: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        fields["objective"].queryset = Objective.objects.filter(goal__period=period).order_by(
            "goal__code", "code"
        )
        fields["parent"].queryset = Indicator.objects.filter(period=period, level="iku")
        fields["sub_kegiatan"].queryset = (
            SubKegiatan.objects.filter(fiscal_year__year__in=period.years)
            .select_related("fiscal_year")
            .order_by("fiscal_year__year", "code")
        )
        fields["metric_code"].choices = [
            ("", _("— entered by the unit —")),
            *metrics.choices(metrics.Scope.UNIT),
        ]


class TargetForm(BootstrapForm):
    """The targets of one year: the year and each quarter (value, or low/high for a range)."""

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        labels = [_("Year"), *[label for _n, label in QUARTERS]]
        for quarter, label in enumerate(labels):
            if indicator.polarity == Polarity.RANGE:
                self.fields[f"low_{quarter}"] = forms.DecimalField(
                    label=_("%(period)s: lowest") % {"period": label},
                    required=quarter == 0,
                    max_digits=18,
                    decimal_places=4,
                )
                self.fields[f"high_{quarter}"] = forms.DecimalField(
                    label=_("%(period)s: highest") % {"period": label},
                    required=quarter == 0,
                    max_digits=18,
                    decimal_places=4,
                )
            else:
                self.fields[f"value_{quarter}"] = forms.DecimalField(
                    label=label, required=quarter == 0, max_digits=18, decimal_places=4
                )
        _bootstrap(self)


class AgreementForm(BootstrapForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    head_name = forms.CharField(label=_("Name of the head"), max_length=150)
    head_position = forms.CharField(label=_("Position of the head"), max_length=200)
    superior_name = forms.CharField(label=_("Name of the superior"), max_length=150, required=False)
    superior_position = forms.CharField(
        label=_("Position of the superior"), max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")


class SignForm(BootstrapForm):
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SpmFigureForm(BootstrapForm):
    needing = forms.IntegerField(label=_("People needing the service"), min_value=0)
    served = forms.IntegerField(label=_("People served"), min_value=0, required=False)
    quality_score = forms.DecimalField(
        label=_("Quality score (mutu, %)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class BandForm(BootstrapForm):
    label = forms.CharField(label=_("Label"), max_length=60)
    minimum = forms.DecimalField(
        label=_("From (percent)"), required=False, max_digits=7, decimal_places=2
    )
    inclusive = forms.BooleanField(label=_("Including the minimum"), required=False)
    colour = forms.ChoiceField(label=_("Colour"), choices=Band.Colour.choices)
    needs_attention = forms.BooleanField(label=_("Needs attention"), required=False)
    source = forms.CharField(label=_("Source"), max_length=255, required=False)
