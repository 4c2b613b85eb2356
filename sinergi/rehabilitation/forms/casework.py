"""HTML input of the casework pages: the plan (with goal and service rows), a service, a group
session, a progress note and a case conference. Field checks only; the rules live in services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.organisation.forms import MarkInvalidMixin
from sinergi.rehabilitation.models import Attendance, Frequency, ServiceType
from sinergi.rehabilitation.selectors import casework as selectors

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXTRA_GOALS = 2
EXTRA_SERVICES = 2


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(
        label=_("Summary of the plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    client_agreed = forms.BooleanField(
        label=_("The client or the family agreed to the plan"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class GoalForm(forms.Form):
    problem = forms.CharField(
        label=_("Problem"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    goal = forms.CharField(
        label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator = forms.CharField(
        label=_("Indicator of success"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class PlannedServiceForm(forms.Form):
    service_type = forms.ModelChoiceField(
        label=_("Form of rehabilitation"), queryset=ServiceType.objects.none(), required=False
    )
    times = forms.IntegerField(label=_("Times"), min_value=1, max_value=31, required=False)
    period = forms.ChoiceField(label=_("Per"), choices=Frequency.choices, required=False)
    responsible = StaffChoiceField(
        label=_("Responsible staff"), queryset=ServiceType.objects.none(), required=False
    )
    start_on = forms.DateField(label=_("Start"), widget=DATE_INPUT, required=False)
    target_on = forms.DateField(label=_("Target date"), widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, unit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service_type"].queryset = selectors.service_types()
        fields["responsible"].queryset = selectors.unit_staff(unit=unit)
        _bootstrap(self)


GoalFormSet = forms.formset_factory(GoalForm, extra=EXTRA_GOALS)
PlannedServiceFormSet = forms.formset_factory(PlannedServiceForm, extra=EXTRA_SERVICES)


class PlanApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ServiceForm(MarkInvalidMixin, forms.Form):
    service_type = forms.ModelChoiceField(
        label=_("Form of rehabilitation"), queryset=ServiceType.objects.none()
    )
    given_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    provider = StaffChoiceField(
        label=_("Provider (staff)"), queryset=ServiceType.objects.none(), required=False
    )
    provider_name = forms.CharField(
        label=_("Provider (external)"),
        required=False,
        max_length=150,
        help_text=_("When the service was given by someone from outside, e.g. a volunteer doctor."),
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=Attendance.choices, initial=Attendance.PRESENT
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, initial=60
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, unit: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service_type"].queryset = selectors.service_types()
        fields["provider"].queryset = selectors.unit_staff(unit=unit)
        if viewer is not None and viewer.unit_id == getattr(unit, "pk", None):
            fields["provider"].initial = viewer.pk
        fields["given_on"].initial = timezone.localdate()
        _bootstrap(self)


class GroupSessionForm(MarkInvalidMixin, forms.Form):
    """The session, and one attendance choice per open case of the UPT (`case_<id>` fields)."""

    service_type = forms.ModelChoiceField(
        label=_("Form of rehabilitation"), queryset=ServiceType.objects.none()
    )
    given_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    provider = StaffChoiceField(
        label=_("Provider (staff)"), queryset=ServiceType.objects.none(), required=False
    )
    provider_name = forms.CharField(label=_("Provider (external)"), required=False, max_length=150)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, initial=60
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: Any, cases: list[Any], viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service_type"].queryset = selectors.service_types()
        fields["provider"].queryset = selectors.unit_staff(unit=unit)
        if viewer.unit_id == unit.pk:
            fields["provider"].initial = viewer.pk
        fields["given_on"].initial = timezone.localdate()
        self.cases = cases
        for case in cases:
            fields[f"case_{case.pk}"] = forms.ChoiceField(
                label=case.client.name,
                choices=[("", _("did not take part")), *Attendance.choices],
                required=False,
                initial=Attendance.PRESENT,
            )
        _bootstrap(self)

    def participant_fields(self) -> list[Any]:
        return [self[f"case_{case.pk}"] for case in self.cases]

    def attendance(self) -> dict[str, str]:
        return {
            name.removeprefix("case_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("case_") and value
        }


class ProgressNoteForm(MarkInvalidMixin, forms.Form):
    written_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["written_on"].initial = timezone.localdate()
        _bootstrap(self)


class ConferenceForm(MarkInvalidMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and roles, e.g. social worker, psychologist, family."),
    )
    discussion = forms.CharField(label=_("Discussion"), widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        _bootstrap(self)
