"""HTML input of the performance pages (validation of the input only; the rules live in services)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core import metrics
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


class PeriodForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    start_year = forms.IntegerField(
        label=_("First year of the plan"), min_value=2000, max_value=2100
    )
    end_year = forms.IntegerField(label=_("Last year of the plan"), min_value=2000, max_value=2100)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=255,
        required=False,
        help_text=_("E.g. the Peraturan Gubernur or the decree that set the Renstra."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a plan is known by its first year: a different first year is a different plan
        self.fields["start_year"].disabled = editing


class StatementForm(BootstrapForm):
    """A tujuan or a sasaran: its code in the plan and its wording."""

    code = forms.CharField(label=_("Code"), max_length=30, help_text=_("E.g. T1, or S1.2."))
    statement = forms.CharField(
        label=_("Statement"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].disabled = editing


class IndicatorForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Indicator"), max_length=500)
    level = forms.ChoiceField(label=_("Level"), choices=Indicator.Level.choices)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=None
    )
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
    sub_kegiatan_ids = forms.TypedMultipleChoiceField(
        label=_("Sub kegiatan serving it"),
        coerce=int,
        required=False,
        help_text=_("The budget lines whose absorption is shown beside the achievement."),
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=100)

    def __init__(
        self, *args: Any, period: Any, units: Any, sub_kegiatan: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = units
        fields["objective"].queryset = Objective.objects.filter(goal__period=period).order_by(
            "goal__code", "code"
        )
        fields["parent"].queryset = Indicator.objects.filter(period=period, level="iku")
        fields["sub_kegiatan_ids"].choices = [(c.sub_kegiatan_id, c.label) for c in sub_kegiatan]
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
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    head_name = forms.CharField(label=_("Name of the head"), max_length=150)
    head_position = forms.CharField(label=_("Position of the head"), max_length=200)
    superior_name = forms.CharField(label=_("Name of the superior"), max_length=150, required=False)
    superior_position = forms.CharField(
        label=_("Position of the superior"), max_length=200, required=False
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].queryset = units


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


class SpmServiceForm(BootstrapForm):
    metric_code = forms.ChoiceField(
        label=_("Number served computed from"),
        required=False,
        help_text=_(
            "Counted over the UPT of the service's lead types. Leave empty to enter the number "
            "served by hand (e.g. when the UPT do not record their clients in Sinergi)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["metric_code"].choices = [
            ("", _("— entered by hand —")),
            *metrics.choices(metrics.Scope.UNIT),
        ]


class BandForm(BootstrapForm):
    label = forms.CharField(label=_("Label"), max_length=60)
    minimum = forms.DecimalField(
        label=_("From (percent)"), required=False, max_digits=7, decimal_places=2
    )
    inclusive = forms.BooleanField(label=_("Including the minimum"), required=False)
    colour = forms.ChoiceField(label=_("Colour"), choices=Band.Colour.choices)
    needs_attention = forms.BooleanField(label=_("Needs attention"), required=False)
    source = forms.CharField(label=_("Source"), max_length=255, required=False)
