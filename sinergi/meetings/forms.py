"""HTML input of the meeting pages (the business rules are checked in services)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.meetings.models import FollowUp
from sinergi.organisation.models import Unit

INPUT = {"class": "form-control"}
SELECT = forms.Select(attrs={"class": "form-select"})
TEXTAREA = forms.Textarea(attrs={"rows": 4, "class": "form-control"})
DATE = forms.DateInput(attrs={**INPUT, "type": "date"})


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250, widget=forms.TextInput(attrs=INPUT))
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=SELECT,
    )
    month = forms.TypedChoiceField(
        label=_("or month"),
        choices=[("", "—")] + [(m, str(m)) for m in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=SELECT,
    )
    held_on = forms.DateField(label=_("Meeting date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=250, widget=forms.TextInput(attrs=INPUT))
    deadline_on = forms.DateField(label=_("Reports due"), widget=DATE)


class ReportForm(forms.Form):
    progress = forms.CharField(label=_("Progress of activities"), required=False, widget=TEXTAREA)
    problems = forms.CharField(label=_("Problems"), required=False, widget=TEXTAREA)
    follow_up_needed = forms.CharField(label=_("Follow-up needed"), required=False, widget=TEXTAREA)


class FollowUpForm(forms.Form):
    owner_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), widget=SELECT
    )
    description = forms.CharField(label=pgettext_lazy("follow-up", "Action"), widget=TEXTAREA)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner_unit"]).queryset = units


class FollowUpUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices, widget=SELECT)
    note = forms.CharField(label=_("Progress note"), required=False, widget=TEXTAREA)
