"""HTML input of the innovation pages (the business rules are checked in services)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.innovations.models import CompetitionStage, Stage
from sinergi.organisation.models import Unit

INPUT = {"class": "form-control"}
SELECT = forms.Select(attrs={"class": "form-select"})
TEXTAREA = forms.Textarea(attrs={"rows": 3, "class": "form-control"})


class InnovationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250, widget=forms.TextInput(attrs=INPUT))
    acronym = forms.CharField(
        label=_("Acronym"), max_length=60, required=False, widget=forms.TextInput(attrs=INPUT)
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=SELECT)
    owner = forms.CharField(
        label=_("Innovator / team"),
        max_length=250,
        required=False,
        help_text=_("Not shown on the public page."),
        widget=forms.TextInput(attrs=INPUT),
    )
    problem = forms.CharField(label=_("Problem addressed"), widget=TEXTAREA)
    description = forms.CharField(label=_("Description"), widget=TEXTAREA)
    started_on = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={**INPUT, "type": "date"})
    )
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.all(), widget=SELECT)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class IndicatorForm(forms.Form):
    name = forms.CharField(
        label=_("Indicator"), max_length=250, widget=forms.TextInput(attrs=INPUT)
    )
    before = forms.DecimalField(
        label=_("Before"), max_digits=14, decimal_places=2, widget=forms.NumberInput(attrs=INPUT)
    )
    after = forms.DecimalField(
        label=_("After"), max_digits=14, decimal_places=2, widget=forms.NumberInput(attrs=INPUT)
    )
    unit_of_measure = forms.CharField(
        label=_("Unit of measure"), max_length=50, widget=forms.TextInput(attrs=INPUT)
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250, widget=forms.TextInput(attrs=INPUT))
    link = forms.CharField(
        label=_("Link"), max_length=500, required=False, widget=forms.URLInput(attrs=INPUT)
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image, Word, Excel or PowerPoint; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs=INPUT),
    )


class EntryForm(forms.Form):
    competition = forms.CharField(
        label=_("Competition"),
        max_length=200,
        initial="Kovablik Jawa Timur",
        widget=forms.TextInput(attrs=INPUT),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    stage_reached = forms.ModelChoiceField(
        label=_("Stage reached"), queryset=CompetitionStage.objects.all(), widget=SELECT
    )
    result = forms.CharField(
        label=_("Result"), max_length=200, required=False, widget=forms.TextInput(attrs=INPUT)
    )
