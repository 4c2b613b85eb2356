"""HTML input of the residential pages: field validation only; the rules live in services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.widgets import FastSelect
from sinergi.organisation.forms import MarkInvalidMixin
from sinergi.rehabilitation.forms import DATE_INPUT, _bootstrap
from sinergi.rehabilitation.models import Bed, MovementType, Residence, WaitingListEntry
from sinergi.rehabilitation.selectors import residential as selectors


class BedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.room.wisma} · {obj.room.name} · {_('bed')} {obj.label}"
        return f"{label} ({_('occupied')})" if getattr(obj, "is_taken", False) else label


class OccupancyFilterForm(forms.Form):
    """The summary's filters (rendered on every request: plain selects, one query of options)."""

    upt_type = forms.ChoiceField(label=_("UPT type"), required=False, widget=FastSelect)
    regency = forms.ChoiceField(label=_("Regency/city"), required=False, widget=FastSelect)
    only_full = forms.BooleanField(label=_("Full UPT only"), required=False)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types, regencies = selectors.occupancy_filter_choices(viewer=viewer)
        fields: Any = self.fields
        fields["upt_type"].choices = [("", _("All types")), *types]
        fields["regency"].choices = [("", _("All regencies")), *regencies]
        _bootstrap(self)

    def filters(self) -> selectors.OccupancyFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.OccupancyFilters()
        data = self.cleaned_data
        return selectors.OccupancyFilters(
            upt_type=data["upt_type"], regency=data["regency"], only_full=data["only_full"]
        )


class RoomForm(MarkInvalidMixin, forms.Form):
    wisma = forms.CharField(
        label=_("Wisma (building)"),
        max_length=80,
        help_text=_('The building or dormitory, e.g. "Wisma Melati".'),
    )
    name = forms.CharField(label=_("Room"), max_length=80)
    beds = forms.IntegerField(label=_("Number of beds"), min_value=1, max_value=60, initial=4)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AdmitForm(MarkInvalidMixin, forms.Form):
    bed = BedChoiceField(label=_("Bed"), queryset=Bed.objects.none())
    admitted_on = forms.DateField(label=_("Admitted into the bed on"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["bed"].queryset = selectors.admission_beds(unit=unit)
        fields["bed"].empty_label = _("Choose a free bed")
        fields["admitted_on"].initial = timezone.localdate()
        _bootstrap(self)


class WaitingForm(MarkInvalidMixin, forms.Form):
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE_INPUT)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=WaitingListEntry.Priority.choices,
        coerce=int,
        initial=WaitingListEntry.Priority.NORMAL,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()
        _bootstrap(self)


class WaitingCancelForm(MarkInvalidMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for taking the client off the list"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class MoveBedForm(MarkInvalidMixin, forms.Form):
    bed = BedChoiceField(label=_("New bed"), queryset=Bed.objects.none())
    moved_on = forms.DateField(label=_("Moved on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["bed"].queryset = selectors.free_beds(unit=unit)
        fields["bed"].empty_label = _("Choose a free bed")
        fields["moved_on"].initial = timezone.localdate()
        _bootstrap(self)


class MovementForm(MarkInvalidMixin, forms.Form):
    movement_type = forms.ModelChoiceField(
        label=_("Movement"), queryset=MovementType.objects.none()
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, residence: Residence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        # Offer what fits the resident's state; the service checks it again.
        effects = [MovementType.Effect.END]
        effects.append(
            MovementType.Effect.RETURN if residence.is_away else MovementType.Effect.AWAY
        )
        fields["movement_type"].queryset = selectors.movement_types().filter(effect__in=effects)
        fields["movement_type"].empty_label = _("Choose the movement")
        fields["occurred_on"].initial = timezone.localdate()
        _bootstrap(self)


class EndForm(MarkInvalidMixin, forms.Form):
    ended_on = forms.DateField(label=_("Left the bed on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        _bootstrap(self)


class RosterForm(forms.Form):
    tanggal = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def day(self) -> Any:
        if self.is_bound and self.is_valid() and self.cleaned_data["tanggal"]:
            return self.cleaned_data["tanggal"]
        return timezone.localdate()
