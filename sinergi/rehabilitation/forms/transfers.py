"""HTML input of the transfer pages: field validation only; the rules live in services."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.organisation.forms import MarkInvalidMixin
from sinergi.organisation.models import Unit
from sinergi.rehabilitation.forms import DATE_INPUT, _bootstrap
from sinergi.rehabilitation.forms.residential import BedChoiceField
from sinergi.rehabilitation.models import Bed, Case, Transfer
from sinergi.rehabilitation.selectors import residential as residential_selectors
from sinergi.rehabilitation.selectors import transfers as selectors


class TransferForm(MarkInvalidMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Transfer to"),
        choices=Transfer.Kind.choices,
        initial=Transfer.Kind.UPT,
        widget=forms.RadioSelect,
    )
    to_unit = forms.ModelChoiceField(
        label=_("Receiving UPT"), queryset=Unit.objects.none(), required=False
    )
    institution_name = forms.CharField(
        label=_("Institution"),
        required=False,
        max_length=200,
        help_text=_(
            "Only for a referral outside the office, e.g. a hospital or a Kemensos centre."
        ),
    )
    institution_address = forms.CharField(
        label=_("Institution address"), required=False, max_length=255
    )
    requested_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason for the transfer"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["to_unit"].queryset = selectors.receiving_units(case=case)
        fields["to_unit"].empty_label = _("Choose the UPT")
        fields["requested_on"].initial = timezone.localdate()
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Transfer.Kind.UPT and not cleaned.get("to_unit"):
            self.add_error("to_unit", _("Choose the UPT that should take over the case."))
        if (
            cleaned.get("kind") == Transfer.Kind.INSTITUTION
            and not cleaned.get("institution_name", "").strip()
        ):
            self.add_error("institution_name", _("Enter the institution."))
        return cleaned


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class AcknowledgeForm(MarkInvalidMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept the transfer")), ("decline", _("Decline the transfer"))],
        widget=forms.RadioSelect,
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    social_worker = WorkerChoiceField(
        label=_("Social worker in charge"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    bed = BedChoiceField(
        label=_("Admit into bed (optional)"), queryset=Bed.objects.none(), required=False
    )
    accepted_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, transfer: Transfer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        unit = transfer.to_unit
        fields["social_worker"].queryset = (
            get_user_model()
            .objects.filter(
                unit=unit, is_active=True, roles__code__in=["social_worker", "head_of_upt"]
            )
            .distinct()
            .order_by("full_name", "username")
        )
        fields["social_worker"].empty_label = _("Choose later")
        fields["bed"].queryset = residential_selectors.free_beds(unit=unit)
        fields["bed"].empty_label = _("No bed yet (put on the waiting list later)")
        fields["accepted_on"].initial = timezone.localdate()
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not cleaned.get("decline_reason", "").strip():
            self.add_error("decline_reason", _("Write why the transfer is declined."))
        return cleaned
