"""HTML input of the SAKIP pages (validation of the business rules is in services)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.sakip.models import Component, Recommendation, Template

TEXTAREA = forms.Textarea(attrs={"rows": 3, "class": "form-control"})
SELECT = forms.Select(attrs={"class": "form-select"})
INPUT = {"class": "form-control"}


class AnswerForm(forms.Form):
    option = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect)
    evidence_text = forms.CharField(
        label=_("Evidence (description)"), required=False, widget=TEXTAREA
    )
    evidence_link = forms.CharField(
        label=_("Evidence (link)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs=INPUT),
    )
    evidence_file = forms.FileField(
        label=_("Evidence (file)"),
        required=False,
        help_text=_("PDF, image, Word, Excel or PowerPoint; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs=INPUT),
    )

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["option"]).choices = [
            (o.code, f"{o.code} – {o.label}") for o in options
        ]


class ReviewForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Review"),
        choices=[("1", _("Accepted")), ("0", _("Not accepted"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reviewed_option = forms.ChoiceField(
        label=_("Answer counted (when the evaluator answers differently)"),
        required=False,
        widget=SELECT,
    )
    review_note = forms.CharField(label=_("Review notes"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewed_option"]).choices = [
            ("", _("The unit's answer"))
        ] + [(o.code, f"{o.code} – {o.label}") for o in options]


class EvaluationCreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Unit evaluated"), queryset=None, widget=SELECT
    )
    previous_score = forms.DecimalField(
        label=_("Last year's score"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Only when last year's evaluation is not in Sinergi."),
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.01"}),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class PreviousScoreForm(forms.Form):
    previous_score = forms.DecimalField(
        label=_("Last year's score"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.01"}),
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(label=_("Reason for unlocking"), widget=TEXTAREA)


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=TEXTAREA)
    component = forms.ModelChoiceField(
        label=_("Component"), queryset=Component.objects.none(), required=False, widget=SELECT
    )
    owner_unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=None, widget=SELECT
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={**INPUT, "type": "date"})
    )

    def __init__(self, *args: Any, components: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["component"]).queryset = components
        cast(forms.ModelChoiceField, self.fields["owner_unit"]).queryset = units


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Recommendation.Status.choices, widget=SELECT
    )
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=TEXTAREA)


class TemplateCreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    copy_from = forms.ModelChoiceField(
        label=_("Copy from"),
        queryset=Template.objects.none(),
        required=False,
        empty_label=_("The standard LKE (PermenPANRB 88/2021)"),
        widget=SELECT,
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["copy_from"]).queryset = templates
