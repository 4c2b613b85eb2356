"""HTML input for rehabilitation pages: field validation only; the rules live in services."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.identity import Sex
from sinergi.core.widgets import FastSelect
from sinergi.organisation.fields import KkField, NikField, add_identity_consistency_errors
from sinergi.organisation.forms import MarkInvalidMixin
from sinergi.organisation.models import Region, Unit
from sinergi.organisation.widgets import RegionField, RegionPickerWidget
from sinergi.rehabilitation import selectors
from sinergi.rehabilitation.models import (
    DisabilityType,
    FollowUp,
    Instrument,
    PpksCategory,
    ReferralSource,
    Stage,
    TerminationReason,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, RegionPickerWidget | forms.RadioSelect | forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class ClientSearchForm(forms.Form):
    """The client list's filters (rendered on every request: plain selects)."""

    nik = forms.CharField(label=_("NIK (exact)"), required=False, max_length=20)
    name = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("UPT"), queryset=Unit.objects.none(), required=False, widget=FastSelect
    )
    category = forms.ChoiceField(label=_("PPKS category"), required=False, widget=FastSelect)
    stage = forms.ChoiceField(label=_("Stage"), required=False, widget=FastSelect)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = selectors.service_units(viewer=viewer)
        unit_field.empty_label = _("All UPT")
        category: Any = self.fields["category"]
        category.choices = [("", _("All categories")), *selectors.ppks_category_choices()]
        stage: Any = self.fields["stage"]
        stage.choices = [("", _("All stages"))] + [
            (s.code, f"{s.number}. {s.name}") for s in selectors.stages()
        ]
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        _bootstrap(self)

    def filters(self) -> selectors.ClientFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.ClientFilters()
        data = self.cleaned_data
        nik = "".join(ch for ch in data["nik"] if ch.isdigit())
        return selectors.ClientFilters(
            nik=nik,
            name=data["name"].strip(),
            unit=data["unit"].pk if data["unit"] else None,
            category=data["category"],
            stage=data["stage"],
        )


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} ({obj.unit.name if obj.unit_id else '—'})"


class ClientFieldsForm(MarkInvalidMixin, forms.Form):
    """The fields of a client's record, shared by the intake and the client edit forms."""

    nik = NikField(required=False)
    no_nik_reason = forms.CharField(
        label=_("Reason there is no NIK yet"),
        required=False,
        max_length=255,
        help_text=_('Only when the NIK is not known, e.g. "found in a street raid".'),
    )
    kk_number = KkField(required=False)
    name = forms.CharField(label=_("Full name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    birth_place = forms.CharField(label=_("Place of birth"), required=False, max_length=100)
    birth_on = forms.DateField(label=_("Date of birth"), widget=DATE_INPUT)
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    village = RegionField(max_level=Region.Level.VILLAGE, label=_("Village (desa/kelurahan)"))
    ppks_category = forms.ModelChoiceField(
        label=_("PPKS category"), queryset=PpksCategory.objects.none()
    )
    disability_type = forms.ModelChoiceField(
        label=_("Disability type"), queryset=DisabilityType.objects.none(), required=False
    )
    referral_source = forms.ModelChoiceField(
        label=_("Referral source"), queryset=ReferralSource.objects.none()
    )
    guardian_name = forms.CharField(
        label=_("Guardian or family contact"), required=False, max_length=150
    )
    guardian_relationship = forms.CharField(label=_("Relationship"), required=False, max_length=60)
    guardian_phone = forms.CharField(label=_("Guardian's phone"), required=False, max_length=40)
    dtsen_desil = forms.IntegerField(
        label=_("DTSEN decile"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("1 (poorest) to 10, when known."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["ppks_category"].queryset = selectors.ppks_categories()
        fields["disability_type"].queryset = selectors.disability_types()
        fields["referral_source"].queryset = selectors.referral_sources()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        add_identity_consistency_errors(self, "nik", birth_date_field="birth_on", sex_field="sex")
        return cleaned

    def client_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ClientFieldsForm.base_fields}


class IntakeForm(ClientFieldsForm):
    unit = forms.ModelChoiceField(label=_("UPT"), queryset=Unit.objects.none())
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DATE_INPUT)
    social_worker = WorkerChoiceField(
        label=_("Social worker in charge"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    notes = forms.CharField(
        label=_("Initial condition and notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different person (I checked the list of similar clients)"),
        required=False,
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.service_units(viewer=viewer)
        fields: Any = self.fields
        fields["unit"].queryset = units
        if viewer.unit_id and units.filter(pk=viewer.unit_id).exists():
            fields["unit"].initial = viewer.unit_id
        fields["social_worker"].queryset = (
            get_user_model()
            .objects.filter(
                unit__in=units, is_active=True, roles__code__in=["social_worker", "head_of_upt"]
            )
            .select_related("unit")
            .distinct()
            .order_by("full_name", "username")
        )
        if viewer.has_perm("rehabilitation.change_case"):
            fields["social_worker"].initial = viewer.pk
        fields["admitted_on"].initial = timezone.localdate()
        _bootstrap(self)


class ClientForm(ClientFieldsForm):
    """Correcting or completing a client's record (the version guards against lost edits)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, client: Any, **kwargs: Any) -> None:
        initial = {name: getattr(client, name) for name in ClientFieldsForm.base_fields}
        initial["nik"] = client.nik or ""
        initial["version"] = client.version
        super().__init__(*args, initial=initial, **kwargs)
        _bootstrap(self)


class AdvanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_stage = forms.TypedChoiceField(
        label=_("Move to"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    reason = forms.CharField(
        label=_("Reason for skipping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when a stage is skipped."),
    )
    termination_reason = forms.ModelChoiceField(
        label=_("Termination reason"),
        queryset=TerminationReason.objects.none(),
        required=False,
        widget=FastSelect,
    )
    termination_on = forms.DateField(label=_("Termination date"), required=False, widget=DATE_INPUT)
    destination_address = forms.CharField(
        label=_("Destination address"),
        required=False,
        max_length=255,
        help_text=_("Where the client goes: family, institution or workplace, with the address."),
    )
    destination_region = RegionField(
        max_level=Region.Level.VILLAGE,
        min_level=Region.Level.REGENCY,
        required=False,
        label=_("Destination region (optional)"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, stage: Stage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.later_stages = selectors.stages_after(stage)  # cached: no query
        fields: Any = self.fields
        fields["to_stage"].choices = [
            ("", _("The next stage")),
            *((s.pk, s.name) for s in self.later_stages),
        ]
        fields["termination_reason"].queryset = selectors.termination_reasons()
        _bootstrap(self)

    def clean_to_stage(self) -> Stage | None:
        """The chosen later stage (None: the next one)."""
        pk = self.cleaned_data.get("to_stage")
        return next((s for s in self.later_stages if s.pk == pk), None)


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AssessmentForm(MarkInvalidMixin, forms.Form):
    """One radio group per item of the instrument (items and options come from the data)."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_INPUT)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["assessed_on"].initial = timezone.localdate()
        for item in instrument.items.all():
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {item.name}",
                choices=[(o.score, f"{o.score} – {o.label}") for o in item.options.all()],
                coerce=int,
                widget=forms.RadioSelect,
                # Required is checked by the service, which names every missing item at once.
                required=False,
            )
        _bootstrap(self)

    def item_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("item_")]

    def scores(self) -> dict[int, int]:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_") and value not in (None, "")
        }


class FollowUpForm(MarkInvalidMixin, forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("Method"), choices=[("", "—"), *FollowUp.Method.choices])
    condition = forms.CharField(
        label=_("Condition of the client"), widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label=_("Problems found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.CharField(
        label=_("Action taken"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()
        _bootstrap(self)


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
